package bridge

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/mapping"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/tariffs"
)

// publishSession builds the transaction's Session (and, once it is completed, its CDR) and
// stores and pushes them when they changed. loc is the stored location of the station, with the
// transaction's EVSE already refreshed.
func (p *Publisher) publishSession(ctx context.Context, tx charging.Store, rtx roaming.Store, loc *roaming.Location,
	t charging.Transaction) error {
	if t.IDTag == "" || t.EVSEID <= 0 {
		return nil // no token yet (2.0.1 before authorization), or an orphan stop on no EVSE
	}
	id := mapping.SessionID(t)
	if _, err := rtx.GetCDR(ctx, id); err == nil {
		p.log.Info("transaction changed after its CDR was issued; the Session stays as billed", "transaction", t.ID)
		return nil
	} else if !charging.IsNotFound(err) {
		return err
	}
	evse, ok := roaming.FindEVSE(&loc.OCPI, mapping.EVSEUID(t.StationID, t.EVSEID))
	if !ok {
		return fmt.Errorf("%w: location %q has no EVSE for EVSE %d of station %q", mapping.ErrInput, loc.OCPI.ID,
			t.EVSEID, t.StationID)
	}
	conn, ok := roaming.FindConnector(evse, strconv.Itoa(max(t.ConnectorID, 1)))
	if !ok {
		conn = &evse.Connectors[0] // the connector is not known (yet): the EVSE's first
	}
	auth, err := p.sessionAuth(ctx, tx, rtx, t)
	if err != nil {
		return err
	}
	tariff, err := p.tariffFor(ctx, rtx, conn, t.StartedAt)
	if err != nil {
		return err
	}
	currency := p.cfg.Currency
	if tariff != nil {
		currency = tariff.Currency
	}
	samples, err := tx.ListMeterSamples(ctx, t.ID)
	if err != nil {
		return err
	}
	states, err := p.chargingStates(ctx, tx, t)
	if err != nil {
		return err
	}
	st, err := tx.GetStation(ctx, t.StationID)
	if err != nil {
		return err
	}
	sess, err := mapping.BuildSession(p.id, t, samples, loc.OCPI, evse.UID, conn.ID, *auth.Token, auth.Method,
		auth.AuthorizationReference, currency, mapping.SessionOptions{ID: id, TokenRejected: auth.Rejected, States: states,
			MergeUpTo: p.cfg.MergePeriodsUpTo, MeterID: st.MeterSerialNumber})
	if err != nil {
		return err
	}
	var tz *time.Location
	if tariff != nil {
		tz = p.zone(loc)
	}
	var cdr *ocpi.CDR
	switch {
	case sess.Status == ocpi.SessionStatusCompleted && !auth.Rejected:
		c := p.buildCDR(sess, loc, tariff, samples, tz)
		if c != nil {
			sess.TotalCost = &c.TotalCost // the Session ends at what the CDR bills
			cdr = c
		}
	case tariff != nil && tz != nil:
		periods := sess.ChargingPeriods
		if len(periods) == 0 { // nothing metered yet: the cost so far is what starting costs (FLAT fees)
			periods = []ocpi.ChargingPeriod{{StartDateTime: sess.StartDateTime, Dimensions: []ocpi.CdrDimension{
				{Type: ocpi.CdrDimensionEnergy, Volume: ocpi.DecimalFromInt(0)}, {Type: ocpi.CdrDimensionTime, Volume: ocpi.DecimalFromInt(0)}}}}
		}
		if r, err := tariffs.Price(*tariff, periods, tariffs.Options{Location: tz,
			SessionStart: sess.StartDateTime.Time}); err == nil {
			cost := r.TotalCost
			sess.TotalCost = &cost
		} else {
			p.log.Debug("session cost so far not priced", "transaction", t.ID, "tariff", tariff.ID, "err", err)
		}
	}
	stored, err := rtx.GetSession(ctx, id)
	switch {
	case err == nil && cdr == nil && sameSession(stored, sess):
		return nil
	case err == nil && stored.Status == ocpi.SessionStatusInvalid && sess.Status == ocpi.SessionStatusPending:
		return nil // expired by housekeeping (roaming.Service.ExpirePendingSessions): stays INVALID until it starts
	case charging.IsNotFound(err) && sess.Status == ocpi.SessionStatusInvalid:
		return nil // never announced: nothing to declare invalid
	case err != nil && !charging.IsNotFound(err):
		return err
	}
	var have *ocpi.Session // the Session as stored, if it is
	if err == nil {
		have = &stored
	}
	if err := p.roam.PutSessionOn(ctx, rtx, have, sess); err != nil {
		return fmt.Errorf("publish session %s: %w", id, err)
	}
	if cdr == nil {
		return nil
	}
	err = p.roam.PostCDRIn(ctx, rtx, *cdr)
	if charging.ErrorCode(err) == charging.CodeConflict {
		return nil // issued already: a CDR is issued once
	}
	if err != nil {
		return fmt.Errorf("publish CDR %s: %w", cdr.ID, err)
	}
	return nil
}

// buildCDR builds the CDR of a completed Session, priced with tariff when there is one. When the
// tariff cannot price it, the CDR is issued unpriced with a remark saying why (a CDR that is never
// issued cannot be corrected; an unpriced one can, with a credit CDR). nil: no CDR can be built.
func (p *Publisher) buildCDR(sess ocpi.Session, loc *roaming.Location, tariff *ocpi.Tariff, samples []charging.MeterSample,
	tz *time.Location) *ocpi.CDR {
	opts := p.cfg.SignedData
	opts.OnOmit = func(s charging.MeterSample, reason string) {
		p.log.Info("signed meter value left out of the CDR", "session", sess.ID, "sample", s.ID, "reason", reason)
	}
	signed := mapping.SignedDataFromSamples(samples, opts)
	if tariff != nil && tz != nil {
		c, err := mapping.BuildCDRInZone(p.id, sess.ID, sess, loc.OCPI, tariff, signed, tz)
		if err == nil {
			return &c
		}
		p.log.Error("CDR cannot be priced; issuing it unpriced", "session", sess.ID, "tariff", tariff.ID, "err", err)
		sess.TotalCost = nil
		c, err2 := mapping.BuildCDRInZone(p.id, sess.ID, sess, loc.OCPI, nil, signed, nil)
		if err2 != nil {
			p.log.Error("CDR cannot be built", "session", sess.ID, "err", err2)
			return nil
		}
		c.Remark = truncateRunes("not priced: tariff "+tariff.ID+": "+err.Error(), 255)
		return &c
	}
	c, err := mapping.BuildCDRInZone(p.id, sess.ID, sess, loc.OCPI, nil, signed, nil)
	if err != nil {
		p.log.Error("CDR cannot be built", "session", sess.ID, "err", err)
		return nil
	}
	return &c
}

// zone returns the location's IANA time zone; nil (and a log line) when it is not one.
func (p *Publisher) zone(loc *roaming.Location) *time.Location {
	z, err := time.LoadLocation(loc.OCPI.TimeZone)
	if err != nil || loc.OCPI.TimeZone == "" || loc.OCPI.TimeZone == "Local" {
		p.log.Warn("location has no usable IANA time zone; its sessions are not priced", "location", loc.OCPI.ID,
			"time_zone", loc.OCPI.TimeZone)
		return nil
	}
	return z
}

// tariffFor returns the tariff of the connector that applies at start: the first of its
// tariff_ids stored in roaming, in the version valid at start (roaming.TariffAt: a tariff changed
// or removed during the session keeps pricing it as it was at its start), whose validity includes
// start, a REGULAR (or untyped) one before any other type (ad-hoc payment and profile tariffs
// are not for roaming sessions by default). nil: the session is unpriced.
func (p *Publisher) tariffFor(ctx context.Context, rtx roaming.Store, conn *ocpi.Connector, start time.Time) (*ocpi.Tariff, error) {
	var fallback *ocpi.Tariff
	for _, id := range conn.TariffIDs {
		t, err := roaming.TariffAt(ctx, rtx, id, start) // frozen: the version valid at the start
		if charging.IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if (t.StartDateTime != nil && start.Before(t.StartDateTime.Time)) || (t.EndDateTime != nil && !start.Before(t.EndDateTime.Time)) {
			continue
		}
		if t.Type == "" || t.Type == ocpi.TariffTypeRegular {
			return &t, nil
		}
		if fallback == nil && t.Type != ocpi.TariffTypeAdHocPayment {
			fallback = &t
		}
	}
	return fallback, nil
}

// sessionAuth returns how the transaction's token was authorized: what the SessionAuthSource
// recorded, completed from the transaction and the tokens the hub holds (see resolveToken): a
// transaction started remotely (2.0.1 remoteStartId or a Central token) is COMMAND. Token is
// always set.
func (p *Publisher) sessionAuth(ctx context.Context, tx charging.Store, rtx roaming.Store, t charging.Transaction) (roaming.SessionAuth, error) {
	var a roaming.SessionAuth
	known := false
	if src := p.authSource(); src != nil {
		var err error
		if a, known, err = src.SessionAuth(ctx, tx, t); err != nil {
			return roaming.SessionAuth{}, fmt.Errorf("session auth of transaction %d: %w", t.ID, err)
		}
	}
	if a.Token != nil && a.Method != "" {
		return a, nil
	}
	tok, method, rejected, err := p.resolveToken(ctx, tx, rtx, t)
	if err != nil {
		return roaming.SessionAuth{}, err
	}
	if a.Token == nil {
		a.Token = &tok
		if !known {
			a.Rejected = rejected
		}
	}
	if a.Method == "" {
		a.Method = method
		if t.RemoteStartID != nil || t.IDTokenType == "Central" {
			a.Method = ocpi.AuthMethodCommand
		}
	}
	return a, nil
}

// resolveToken finds the token behind the transaction's id tag the way the charging service
// authorizes it: a local id tag first (a CdrToken of the CPO's own party: its sessions go to no
// partner), then the eMSP tokens with that uid (valid before invalid, RFID before other types,
// newest first). The method is WHITELIST, or AUTH_REQUEST for a token the eMSP wants asked in
// real time (whitelist NEVER). An id tag nobody knows gives a local token, rejected.
func (p *Publisher) resolveToken(ctx context.Context, tx charging.Store, rtx roaming.Store,
	t charging.Transaction) (ocpi.CdrToken, ocpi.AuthMethod, bool, error) {
	local := ocpi.CdrToken{CountryCode: p.id.CountryCode, PartyID: p.id.PartyID, UID: t.IDTag,
		Type: tokenTypeOf(t.IDTokenType), ContractID: t.IDTag}
	tag, err := tx.GetIDTag(ctx, t.IDTag)
	if err == nil {
		return local, ocpi.AuthMethodWhitelist, tag.Status != "" && tag.Status != charging.AuthAccepted, nil
	}
	if !charging.IsNotFound(err) {
		return ocpi.CdrToken{}, "", false, err
	}
	list, _, err := rtx.ListTokens(ctx, roaming.TokenFilter{UID: t.IDTag})
	if err != nil {
		return ocpi.CdrToken{}, "", false, err
	}
	if len(list) == 0 {
		return local, ocpi.AuthMethodWhitelist, true, nil
	}
	best := &list[0]
	for i := range list[1:] {
		c := &list[i+1]
		if betterToken(c, best) {
			best = c
		}
	}
	tok := best.Token
	method := ocpi.AuthMethodWhitelist
	if tok.Whitelist == ocpi.WhitelistTypeNever {
		method = ocpi.AuthMethodAuthRequest
	}
	return ocpi.CdrToken{CountryCode: strings.ToUpper(tok.CountryCode), PartyID: strings.ToUpper(tok.PartyID), UID: tok.UID,
		Type: tok.Type, ContractID: tok.ContractID}, method, !tok.Valid, nil
}

// betterToken orders candidate tokens for an id tag: valid, then RFID, then newest.
func betterToken(a, b *roaming.StoredToken) bool {
	if a.Token.Valid != b.Token.Valid {
		return a.Token.Valid
	}
	if ar, br := a.Token.Type == ocpi.TokenTypeRFID, b.Token.Type == ocpi.TokenTypeRFID; ar != br {
		return ar
	}
	return a.Token.LastUpdated.After(b.Token.LastUpdated.Time)
}

// tokenTypeOf maps a 2.0.1 IdTokenEnumType (1.6: "") to the OCPI token type of a local token.
func tokenTypeOf(idTokenType string) ocpi.TokenType {
	switch idTokenType {
	case "", "ISO14443", "ISO15693":
		return ocpi.TokenTypeRFID
	case "Central":
		return ocpi.TokenTypeAppUser
	}
	return ocpi.TokenTypeOther
}

// chargingStates returns the 2.0.1 chargingState changes of the transaction from its stored
// TransactionEvents, in seqNo order (1.6 keeps no state history: none).
func (p *Publisher) chargingStates(ctx context.Context, tx charging.Store, t charging.Transaction) ([]mapping.StateChange, error) {
	if t.StationTxID == "" {
		return nil, nil
	}
	events, err := tx.ListTransactionEvents(ctx, t.StationID, t.StationTxID)
	if err != nil {
		return nil, err
	}
	var out []mapping.StateChange
	for _, e := range events {
		var body struct {
			TransactionInfo struct {
				ChargingState string `json:"chargingState"`
			} `json:"transactionInfo"`
		}
		if json.Unmarshal([]byte(e.Payload), &body) != nil || body.TransactionInfo.ChargingState == "" {
			continue
		}
		out = append(out, mapping.StateChange{At: e.Timestamp, State: body.TransactionInfo.ChargingState})
	}
	return out, nil
}

// sameSession reports whether two Sessions are equal but for last_updated.
func sameSession(a, b ocpi.Session) bool {
	a.LastUpdated, b.LastUpdated = ocpi.DateTime{}, ocpi.DateTime{}
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errors.Join(errA, errB) == nil && bytes.Equal(ja, jb)
}

// truncateRunes cuts s to at most n characters.
func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
