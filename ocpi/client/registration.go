package client

import (
	"context"
	"net/http"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// Versions GETs a versions list (see roaming.Peer).
func (c *Client) Versions(ctx context.Context, url string, cred roaming.Credential) ([]ocpi.Version, roaming.TokenEncoding, error) {
	resp, err := c.Do(ctx, Request{Method: http.MethodGet, URL: url, Cred: cred})
	if err != nil {
		return nil, "", err
	}
	var out []ocpi.Version
	if err := decodeData(resp, url, &out); err != nil {
		return nil, "", err
	}
	for i := range out {
		if err := out[i].Validate(); err != nil {
			return nil, "", &Error{Method: http.MethodGet, URL: url, HTTPStatus: resp.HTTPStatus, Message: "invalid versions list", Err: err}
		}
	}
	return out, resp.Encoding, nil
}

// VersionDetails GETs a version details endpoint.
func (c *Client) VersionDetails(ctx context.Context, url string, cred roaming.Credential) (ocpi.VersionDetails, error) {
	resp, err := c.Do(ctx, Request{Method: http.MethodGet, URL: url, Cred: cred})
	if err != nil {
		return ocpi.VersionDetails{}, err
	}
	var out ocpi.VersionDetails
	return out, decodeData(resp, url, &out)
}

// PostCredentials registers at a credentials endpoint and returns the peer's credentials.
func (c *Client) PostCredentials(ctx context.Context, url string, cred roaming.Credential, body ocpi.Credentials) (ocpi.Credentials, error) {
	return c.credentials(ctx, http.MethodPost, url, cred, body)
}

// PutCredentials updates our credentials at a peer and returns its new credentials.
func (c *Client) PutCredentials(ctx context.Context, url string, cred roaming.Credential, body ocpi.Credentials) (ocpi.Credentials, error) {
	return c.credentials(ctx, http.MethodPut, url, cred, body)
}

func (c *Client) credentials(ctx context.Context, method, url string, cred roaming.Credential, body ocpi.Credentials) (ocpi.Credentials, error) {
	resp, err := c.Do(ctx, Request{Method: method, URL: url, Cred: cred, Body: body})
	if err != nil {
		return ocpi.Credentials{}, err
	}
	var out ocpi.Credentials
	return out, decodeData(resp, url, &out)
}

// DeleteCredentials unregisters at a credentials endpoint.
func (c *Client) DeleteCredentials(ctx context.Context, url string, cred roaming.Credential) error {
	_, err := c.Do(ctx, Request{Method: http.MethodDelete, URL: url, Cred: cred})
	return err
}
