package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// PullList GETs a paginated Sender list and calls fn with each page's raw objects. It follows
// the Link rel="next" URL exactly as received and stops when there is none; a URL seen twice or
// more than Config.MaxPages pages are an error. Date filters and limit go on the first URL only.
func (c *Client) PullList(ctx context.Context, req roaming.PullRequest, fn func(page []json.RawMessage) error) error {
	next, err := firstPageURL(req)
	if err != nil {
		return err
	}
	cred := req.Cred
	seen := map[string]bool{}
	corr := c.cfg.NewID()
	for pages := 0; next != ""; pages++ {
		if pages >= c.cfg.MaxPages {
			return fmt.Errorf("ocpi: pull %s: more than %d pages", req.URL, c.cfg.MaxPages)
		}
		if seen[next] {
			return fmt.Errorf("ocpi: pull %s: the next-page link %s repeats a page", req.URL, next)
		}
		seen[next] = true
		resp, err := c.Do(ctx, Request{Method: http.MethodGet, URL: next, Cred: cred, From: req.From, To: req.To, CorrelationID: corr})
		if err != nil {
			return err
		}
		cred.Encoding = resp.Encoding
		var page []json.RawMessage
		if resp.Envelope.HasData() {
			if err := resp.Envelope.DecodeData(&page); err != nil {
				return &Error{Method: http.MethodGet, URL: next, HTTPStatus: resp.HTTPStatus, Message: "data is not a list", Err: err}
			}
		}
		if err := fn(page); err != nil {
			return err
		}
		next = NextLink(resp.Header.Values(HeaderLink))
	}
	return nil
}

// firstPageURL adds date_from, date_to and limit to a list URL.
func firstPageURL(req roaming.PullRequest) (string, error) {
	u, err := url.Parse(req.URL)
	if err != nil {
		return "", fmt.Errorf("ocpi: pull: bad URL %q: %w", req.URL, err)
	}
	q := u.Query()
	if req.DateFrom != nil {
		q.Set("date_from", ocpi.NewDateTime(*req.DateFrom).String())
	}
	if req.DateTo != nil {
		q.Set("date_to", ocpi.NewDateTime(*req.DateTo).String())
	}
	if req.Limit > 0 {
		q.Set("limit", strconv.Itoa(req.Limit))
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// NextLink returns the URL of the rel="next" link in Link header values, or "". It tolerates
// whitespace, unquoted rel values, several links per header and several headers.
func NextLink(values []string) string {
	for _, v := range values {
		for len(v) > 0 {
			start := strings.IndexByte(v, '<')
			if start < 0 {
				break
			}
			end := strings.IndexByte(v[start:], '>')
			if end < 0 {
				break
			}
			target := v[start+1 : start+end]
			rest := v[start+end+1:]
			params := rest
			if i := strings.IndexByte(rest, '<'); i >= 0 {
				params = rest[:i]
			}
			for _, p := range strings.Split(params, ";") {
				k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
				if !ok || !strings.EqualFold(strings.TrimSpace(k), "rel") {
					continue
				}
				for _, rel := range strings.Fields(strings.Trim(strings.TrimSpace(val), "\", ")) {
					if strings.EqualFold(rel, "next") {
						return strings.TrimSpace(target)
					}
				}
			}
			v = rest
		}
	}
	return ""
}
