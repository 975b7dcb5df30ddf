package gateway

import (
	"context"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpp/v16"
	"github.com/chargehub/hub/ocpp/v201"
	"github.com/chargehub/hub/ocpp/wire"
)

// ListEntry is one entry of a local authorization list update.
type ListEntry struct {
	// Token identifies the entry: the 1.6 idTag is Token.Tag16 (or Token.ID), the 2.0.1
	// idToken is Token.ID with Token.Type ("" = ISO14443 for lists).
	Token Token
	// Info is the verdict the station applies offline; nil removes the entry (Differential).
	Info *charging.AuthInfo
}

// LocalList is a SendLocalList update: the list version after it, Full (replace the list)
// or Differential (add, change, remove the entries).
type LocalList struct {
	Version int
	Full    bool
	Entries []ListEntry
}

// SendLocalList sends SendLocalList in the station's protocol (1.6 idTagInfo, 2.0.1
// idTokenInfo). Outcomes: Accepted, Failed, VersionMismatch, NotSupported (1.6).
func (g *Gateway) SendLocalList(ctx context.Context, stationID string, l LocalList) (Outcome, error) {
	p, err := g.protocol(stationID)
	if err != nil {
		return "", err
	}
	if p == charging.OCPP16 {
		req := &v16.SendLocalListRequest{ListVersion: l.Version, UpdateType: v16.UpdateTypeDifferential}
		if l.Full {
			req.UpdateType = v16.UpdateTypeFull
		}
		for _, e := range l.Entries {
			tag, err := e.Token.tag16()
			if err != nil {
				return "", err
			}
			d := v16.AuthorizationData{IDTag: tag}
			if e.Info != nil {
				info := idTagInfo16(*e.Info)
				d.IDTagInfo = &info
			}
			req.LocalAuthorizationList = append(req.LocalAuthorizationList, d)
		}
		var resp v16.SendLocalListResponse
		if err := g.call(ctx, stationID, "SendLocalList", req, &resp); err != nil {
			return "", err
		}
		return Outcome(resp.Status), nil
	}
	req := &v201.SendLocalListRequest{VersionNumber: l.Version, UpdateType: v201.UpdateDifferential}
	if l.Full {
		req.UpdateType = v201.UpdateFull
	}
	for _, e := range l.Entries {
		tok := e.Token.idToken201()
		if e.Token.Type == "" {
			tok.Type = v201.IdTokenEnumTypeISO14443
		}
		d := v201.AuthorizationData{IDToken: tok}
		if e.Info != nil {
			info := idTokenInfo201(*e.Info)
			d.IDTokenInfo = &info
		}
		req.LocalAuthorizationList = append(req.LocalAuthorizationList, d)
	}
	var resp v201.SendLocalListResponse
	if err := g.call(ctx, stationID, "SendLocalList", req, &resp); err != nil {
		return "", err
	}
	return Outcome(resp.Status), nil
}

// GetLocalListVersion asks a station for the version of its local list: 0 = no list, -1 =
// local lists are not supported (1.6).
func (g *Gateway) GetLocalListVersion(ctx context.Context, stationID string) (int, error) {
	p, err := g.protocol(stationID)
	if err != nil {
		return 0, err
	}
	if p == charging.OCPP16 {
		var resp v16.GetLocalListVersionResponse
		if err := g.call(ctx, stationID, "GetLocalListVersion", &v16.GetLocalListVersionRequest{}, &resp); err != nil {
			return 0, err
		}
		return resp.ListVersion, nil
	}
	var resp v201.GetLocalListVersionResponse
	if err := g.call(ctx, stationID, "GetLocalListVersion", &v201.GetLocalListVersionRequest{}, &resp); err != nil {
		return 0, err
	}
	return resp.VersionNumber, nil
}

// idTagInfo16 maps a verdict to 1.6 IdTagInfo (Unknown is Invalid; a parent longer than 20
// characters is left out).
func idTagInfo16(a charging.AuthInfo) v16.IdTagInfo {
	status := v16.AuthorizationStatus(a.Status)
	switch a.Status {
	case charging.AuthAccepted, charging.AuthBlocked, charging.AuthExpired, charging.AuthInvalid, charging.AuthConcurrentTx:
	default:
		status = v16.AuthorizationStatusInvalid
	}
	info := v16.IdTagInfo{Status: status}
	if a.ExpiryDate != nil {
		d := wire.NewDateTime(*a.ExpiryDate)
		info.ExpiryDate = &d
	}
	if n := len([]rune(a.ParentIDTag)); n > 0 && n <= IDTagMax16 {
		info.ParentIDTag = a.ParentIDTag
	}
	return info
}

// idTokenInfo201 maps a verdict to 2.0.1 IdTokenInfo.
func idTokenInfo201(a charging.AuthInfo) v201.IdTokenInfo {
	status := v201.AuthorizationStatus(a.Status)
	if a.Status == "" {
		status = v201.AuthorizationStatusInvalid
	}
	info := v201.IdTokenInfo{Status: status}
	if a.ExpiryDate != nil {
		d := wire.NewDateTime(*a.ExpiryDate)
		info.CacheExpiryDateTime = &d
	}
	if n := len([]rune(a.ParentIDTag)); n > 0 && n <= 36 {
		info.GroupIDToken = &v201.IdToken{IDToken: a.ParentIDTag, Type: v201.IdTokenEnumTypeCentral}
	}
	return info
}
