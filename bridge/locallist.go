package bridge

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpp/gateway"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store"
)

// LocalListsConfig tunes LocalLists. Zero fields take the defaults.
type LocalListsConfig struct {
	Interval         time.Duration // how often connected stations are checked; 30 s
	BatchSize        int           // entries per SendLocalList (keep within SendLocalListMaxLength / ItemsPerMessage); 100
	MaxEntries       int           // entries a list holds at most (LocalAuthListMaxLength / Entries); 5000
	RetryUnsupported time.Duration // a station without local lists is asked again after this; 24 h
	RetryFailed      time.Duration // a station whose sync failed (no answer, error) is left alone this long; 5 min
	StationTimeout   time.Duration // one station's sync, all its messages; 2 min
}

func (c *LocalListsConfig) fill() {
	if c.Interval <= 0 {
		c.Interval = 30 * time.Second
	}
	if c.BatchSize <= 0 {
		c.BatchSize = 100
	}
	if c.MaxEntries <= 0 {
		c.MaxEntries = 5000
	}
	if c.RetryUnsupported <= 0 {
		c.RetryUnsupported = 24 * time.Hour
	}
	if c.RetryFailed <= 0 {
		c.RetryFailed = 5 * time.Minute
	}
	if c.StationTimeout <= 0 {
		c.StationTimeout = 2 * time.Minute
	}
}

// overlap re-reads token changes this far before a station's cursor: a token stamped just
// before a sync may commit after it. Re-reading is harmless: entries are compared, not resent.
const overlap = time.Minute

// LocalLists keeps the chargers' local authorization lists in step with the eMSPs' tokens,
// so stations can authorize roaming drivers while offline.
//
// The list: every valid token with whitelist ALWAYS or ALLOWED_OFFLINE (Accepted, parent =
// group_id), keyed by the 1.6 idTag (the uid, or its alias when longer than 20) or the 2.0.1
// idToken (ISO14443 for RFID, else Central). A listed token that becomes invalid stays as
// Invalid (an offline station must refuse it); one whose whitelist changes to ALLOWED or NEVER
// is removed (the hub must be asked). At most MaxEntries, sent BatchSize per message.
//
// Design: a poll, not an event hook. Every Interval (and on Wake) each connected station is
// checked: on a new connection (first sight, reconnect) GetLocalListVersion is compared with
// the stored version; tokens stored since the station's cursor (minus a minute) are compared
// with the stored entries and the differences go out as Differential updates with increasing
// versions. A station never synced, or whose version differs, or that answered VersionMismatch
// or Failed, gets a Full list (the first message Full, the rest Differential). NotSupported (or a
// CALLERROR NotImplemented/NotSupported) pauses the station for RetryUnsupported, any other failure
// (no answer, a refused full list) for RetryFailed. Offline stations are skipped and caught up
// when they reconnect. A station that never had a list and
// for which no token qualifies is left alone (its list is not the hub's until it has entries).
// State (version, cursor, entries) is persisted per station (local_auth_lists,
// local_auth_list_entries) after each acknowledged message.
type LocalLists struct {
	stations Stations
	charging ChargingState
	state    *store.BridgeCommands
	clock    charging.Clock
	log      *slog.Logger
	cfg      LocalListsConfig
	wake     chan struct{}

	syncMu sync.Mutex           // one sync at a time
	seen   map[string]uint64    // station → connection generation whose list version was checked; guarded by syncMu
	failed map[string]time.Time // station → when SyncAll tries it again after a failure; guarded by syncMu
}

// NewLocalLists builds the synchroniser.
func NewLocalLists(stations Stations, cs ChargingState, state *store.BridgeCommands, clock charging.Clock, log *slog.Logger, cfg LocalListsConfig) *LocalLists {
	cfg.fill()
	if log == nil {
		log = slog.Default()
	}
	if clock == nil {
		clock = charging.SystemClock{}
	}
	return &LocalLists{stations: stations, charging: cs, state: state, clock: clock, log: log, cfg: cfg,
		wake: make(chan struct{}, 1), seen: map[string]uint64{}, failed: map[string]time.Time{}}
}

// Wake asks for a sync pass soon (e.g. after tokens changed). It never blocks.
func (l *LocalLists) Wake() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// Run syncs every Interval and on Wake until ctx ends.
func (l *LocalLists) Run(ctx context.Context) {
	t := time.NewTicker(l.cfg.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-l.wake:
		}
		if n, err := l.SyncAll(ctx); err != nil {
			l.log.Warn("local list sync pass had failures", "updated", n, "err", err)
		} else if n > 0 {
			l.log.Info("local lists updated", "stations", n)
		}
	}
}

// SyncAll syncs every connected station; it returns how many got an update and the joined
// errors of those that failed. A station whose sync failed is skipped for RetryFailed.
func (l *LocalLists) SyncAll(ctx context.Context) (int, error) {
	online := true
	list, _, err := l.charging.ListStations(ctx, charging.StationFilter{Online: &online})
	if err != nil {
		return 0, fmt.Errorf("local lists: list stations: %w", err)
	}
	n := 0
	var errs []error
	snap := &tokenSnapshot{} // the listable tokens, read once for every full list of the pass
	for _, st := range list {
		if ctx.Err() != nil {
			break
		}
		l.syncMu.Lock()
		until, backoff := l.failed[st.ID]
		l.syncMu.Unlock()
		if backoff && l.clock.Now().Before(until) {
			continue // a station that does not answer is not asked every pass (3 unanswered calls close its socket)
		}
		sent, err := l.syncStation(ctx, st.ID, snap)
		l.syncMu.Lock()
		if err != nil {
			l.failed[st.ID] = l.clock.Now().Add(l.cfg.RetryFailed)
		} else {
			delete(l.failed, st.ID)
		}
		l.syncMu.Unlock()
		if err != nil {
			errs = append(errs, fmt.Errorf("station %s: %w", st.ID, err))
		}
		if sent {
			n++
		}
	}
	return n, errors.Join(errs...)
}

// SyncStation brings one connected station's list up to date; sent reports whether an
// update was acknowledged. An offline station is skipped (no error).
func (l *LocalLists) SyncStation(ctx context.Context, stationID string) (sent bool, err error) {
	return l.syncStation(ctx, stationID, &tokenSnapshot{})
}

// syncStation is SyncStation with the pass's snapshot of listable tokens.
func (l *LocalLists) syncStation(ctx context.Context, stationID string, snap *tokenSnapshot) (sent bool, err error) {
	l.syncMu.Lock()
	defer l.syncMu.Unlock()
	conn, ok := l.stations.Connection(stationID)
	if !ok {
		return false, nil
	}
	ctx, cancel := context.WithTimeout(ctx, l.cfg.StationTimeout)
	defer cancel()
	st, err := l.state.GetLocalList(ctx, stationID)
	if err != nil {
		return false, err
	}
	now := l.clock.Now()
	if st.UnsupportedUntil != nil && now.Before(*st.UnsupportedUntil) {
		return false, nil
	}
	if l.seen[stationID] != conn.Generation {
		v, err := l.stations.GetLocalListVersion(ctx, stationID)
		switch {
		case unsupported(err) || (err == nil && v < 0):
			return false, l.pause(ctx, st, now, "local lists not supported")
		case err != nil:
			return false, err
		}
		if v != st.Version && (st.Version > 0 || v > 0) {
			l.log.Info("station local list version differs; sending a full list", "station", stationID, "station_version", v, "hub_version", st.Version)
			st.FullNeeded, st.Version = true, max(st.Version, v)
		}
		l.seen[stationID] = conn.Generation
	}
	if st.FullNeeded {
		return l.full(ctx, conn, st, snap)
	}
	sent, err = l.differential(ctx, conn, st, now, snap)
	if err != nil || !sent {
		return sent, err
	}
	return true, nil
}

// pause records that a station does not support local lists.
func (l *LocalLists) pause(ctx context.Context, st store.LocalList, now time.Time, why string) error {
	until := now.Add(l.cfg.RetryUnsupported)
	st.UnsupportedUntil, st.LastResult = &until, why
	l.log.Info("station has no local authorization list; retrying later", "station", st.StationID, "until", until)
	return l.state.SaveLocalList(ctx, st, false, nil)
}

// entryOf returns the list entry of a token for a protocol, and whether the token belongs on
// lists.
func (l *LocalLists) entryOf(ctx context.Context, t *ocpi.Token, p charging.Protocol) (store.LocalListEntry, gateway.Token, bool, error) {
	gt, tag, err := stationToken(ctx, l.state, *t, p)
	if err != nil {
		return store.LocalListEntry{}, gt, false, err
	}
	if t.Type == ocpi.TokenTypeRFID {
		gt.Type = "ISO14443"
	}
	e := store.LocalListEntry{IDTag: tag, Status: string(charging.AuthInvalid)}
	if p == charging.OCPP201 {
		e.TokenType = gt.Type
	}
	listable := t.Valid && (t.Whitelist == ocpi.WhitelistTypeAlways || t.Whitelist == ocpi.WhitelistTypeAllowedOffline)
	if listable {
		e.Status, e.ParentIDTag = string(charging.AuthAccepted), t.GroupID
	}
	return e, gt, listable, nil
}

// change is one entry to send and to store once acknowledged.
type change struct {
	entry store.LocalListChange
	wire  gateway.ListEntry
}

func toWire(e store.LocalListEntry, gt gateway.Token, remove bool) gateway.ListEntry {
	w := gateway.ListEntry{Token: gt}
	if !remove {
		w.Info = &charging.AuthInfo{Status: charging.AuthStatus(e.Status), ParentIDTag: e.ParentIDTag}
	}
	return w
}

// tokenSnapshot holds what a sync pass read of the tokens, shared by its stations: the
// listable tokens (valid, whitelist ALWAYS or ALLOWED_OFFLINE, in change order, at most
// MaxEntries), which every station's full list holds, and the change feeds by their start
// (stations whose lists were built together share their cursor, and so their feed).
type tokenSnapshot struct {
	listable *tokenFeed // nil until a full list needs it
	feeds    map[int64]tokenFeed
}

// tokenFeed is a read of the token change feed, and when it was read: the cursor of the lists
// built from it (what was stored since comes in the next differential update).
type tokenFeed struct {
	at     time.Time
	tokens []roaming.StoredToken
}

// maxMemoFeed is the longest change feed a pass keeps for other stations.
const maxMemoFeed = 10000

// readFeed reads the token change feed from the page's position, 500 at a time, until it ends
// or holds max tokens (max <= 0: no bound).
func (l *LocalLists) readFeed(ctx context.Context, p store.TokenPage, max int) (tokenFeed, error) {
	f := tokenFeed{at: l.clock.Now()}
	p.Limit = 500
	for max <= 0 || len(f.tokens) < max {
		page, err := l.state.ChangedTokens(ctx, p)
		if err != nil {
			return tokenFeed{}, err
		}
		f.tokens = append(f.tokens, page...)
		if len(page) < p.Limit {
			break
		}
		last := page[len(page)-1]
		p.After = &store.TokenPos{UpdatedAt: last.UpdatedAt, Key: roaming.KeyOf(&last.Token)}
	}
	return f, nil
}

// changedSince returns the tokens stored since since, memoized in snap.
func (l *LocalLists) changedSince(ctx context.Context, snap *tokenSnapshot, since time.Time) (tokenFeed, error) {
	if f, ok := snap.feeds[since.UnixNano()]; ok {
		return f, nil
	}
	f, err := l.readFeed(ctx, store.TokenPage{Since: &since}, 0)
	if err != nil {
		return tokenFeed{}, err
	}
	if len(f.tokens) <= maxMemoFeed {
		if snap.feeds == nil {
			snap.feeds = map[int64]tokenFeed{}
		}
		snap.feeds[since.UnixNano()] = f
	}
	return f, nil
}

// listable returns the listable tokens, read once per snap.
func (l *LocalLists) listable(ctx context.Context, snap *tokenSnapshot) (tokenFeed, error) {
	if snap.listable == nil {
		f, err := l.readFeed(ctx, store.TokenPage{Listable: true}, l.cfg.MaxEntries)
		if err != nil {
			return tokenFeed{}, err
		}
		snap.listable = &f
	}
	return *snap.listable, nil
}

// full sends the whole list: the first batch as Full, the rest as Differential. The station's
// cursor becomes the time the tokens were read (a token changed since is picked up by the next
// differential update).
func (l *LocalLists) full(ctx context.Context, conn gateway.Connection, st store.LocalList, snap *tokenSnapshot) (bool, error) {
	f, err := l.listable(ctx, snap)
	if err != nil {
		return false, err
	}
	var changes []change
	for i := range f.tokens {
		if len(changes) >= l.cfg.MaxEntries {
			break
		}
		e, gt, ok, err := l.entryOf(ctx, &f.tokens[i].Token, conn.Protocol)
		if err != nil {
			l.log.Warn("token left off the local list", "uid", f.tokens[i].Token.UID, "err", err)
			continue
		}
		if ok {
			changes = append(changes, change{entry: store.LocalListChange{Entry: e}, wire: toWire(e, gt, false)})
		}
	}
	if len(changes) == 0 && st.Version == 0 && st.TokenCursor == nil {
		return false, nil // never had a list from us and nothing to put on it: not ours to manage
	}
	if len(changes) >= l.cfg.MaxEntries {
		l.log.Warn("local list truncated at MaxEntries", "station", st.StationID, "entries", l.cfg.MaxEntries)
	}
	cursor := f.at
	st.TokenCursor = &cursor
	return l.send(ctx, st, changes, true)
}

// differential sends the changes of the tokens stored since the station's cursor.
func (l *LocalLists) differential(ctx context.Context, conn gateway.Connection, st store.LocalList, now time.Time,
	snap *tokenSnapshot) (bool, error) {
	since := now.Add(-overlap)
	if st.TokenCursor != nil {
		since = st.TokenCursor.Add(-overlap)
	}
	f, err := l.changedSince(ctx, snap, since)
	if err != nil {
		return false, err
	}
	feed := f.tokens
	seen := len(feed)
	var changes []change
	var have map[string]store.LocalListEntry // idTag → entry on the station's list
	if len(feed) > 0 {                       // the entries are read only when tokens changed
		current, err := l.state.ListLocalListEntries(ctx, st.StationID)
		if err != nil {
			return false, err
		}
		have = make(map[string]store.LocalListEntry, len(current))
		for _, e := range current {
			have[strings.ToUpper(e.IDTag)] = e
		}
	}
	for i := range feed {
		e, gt, listable, err := l.entryOf(ctx, &feed[i].Token, conn.Protocol)
		if err != nil {
			l.log.Warn("token left off the local list", "uid", feed[i].Token.UID, "err", err)
			continue
		}
		old, present := have[strings.ToUpper(e.IDTag)]
		switch {
		case listable && (!present || old != e) && (present || len(have) < l.cfg.MaxEntries):
			have[strings.ToUpper(e.IDTag)] = e
			changes = append(changes, change{entry: store.LocalListChange{Entry: e}, wire: toWire(e, gt, false)})
		case !listable && present && !feed[i].Token.Valid && old != e:
			// an invalidated token stays listed as Invalid so that offline stations refuse it
			have[strings.ToUpper(e.IDTag)] = e
			changes = append(changes, change{entry: store.LocalListChange{Entry: e}, wire: toWire(e, gt, false)})
		case !listable && present && feed[i].Token.Valid:
			delete(have, strings.ToUpper(e.IDTag))
			changes = append(changes, change{entry: store.LocalListChange{Entry: e, Remove: true}, wire: toWire(e, gt, true)})
		}
	}
	if seen == 0 {
		return false, nil // nothing changed: keep the cursor where it is
	}
	cursor := f.at // what was stored since the feed was read comes in the next update
	if now.Before(cursor) {
		cursor = now
	}
	st.TokenCursor = &cursor
	if len(changes) == 0 {
		st.LastResult = "up to date"
		return false, l.state.SaveLocalList(ctx, st, false, nil)
	}
	return l.send(ctx, st, changes, false)
}

// send sends changes in batches with increasing versions, storing each acknowledged batch.
// A VersionMismatch or Failed answer to a differential update turns into a full one (once).
func (l *LocalLists) send(ctx context.Context, st store.LocalList, changes []change, full bool) (bool, error) {
	sent := false
	for start := 0; start < len(changes) || (full && start == 0); start += l.cfg.BatchSize {
		batch := changes[start:min(start+l.cfg.BatchSize, len(changes))]
		first := full && start == 0
		msg := gateway.LocalList{Version: st.Version + 1, Full: first}
		stored := make([]store.LocalListChange, 0, len(batch))
		for _, c := range batch {
			msg.Entries = append(msg.Entries, c.wire)
			stored = append(stored, c.entry)
		}
		out, err := l.stations.SendLocalList(ctx, st.StationID, msg)
		switch {
		case unsupported(err) || (err == nil && out == gateway.OutcomeNotSupported):
			return sent, l.pause(ctx, st, l.clock.Now(), "SendLocalList not supported")
		case err != nil:
			return sent, fmt.Errorf("send local list version %d: %w", msg.Version, err)
		case out == gateway.OutcomeVersionMismatch || out == gateway.OutcomeFailed:
			l.log.Warn("station refused a local list update", "station", st.StationID, "version", msg.Version, "full", first, "answer", out)
			st.FullNeeded, st.LastResult = true, string(out)
			if err := l.state.SaveLocalList(ctx, st, false, nil); err != nil {
				return sent, err
			}
			if full {
				return sent, fmt.Errorf("station %s answered %s to a full local list", st.StationID, out)
			}
			conn, ok := l.stations.Connection(st.StationID) // the differential was refused: start over with the full list
			if !ok {
				return sent, nil
			}
			return l.full(ctx, conn, st, &tokenSnapshot{})
		case out != gateway.OutcomeAccepted:
			return sent, fmt.Errorf("station %s answered %q to SendLocalList", st.StationID, out)
		}
		st.Version, st.FullNeeded, st.LastResult, st.UnsupportedUntil = msg.Version, false, string(out), nil
		if err := l.state.SaveLocalList(ctx, st, first, stored); err != nil {
			return sent, err
		}
		sent = true
		if len(changes) == 0 {
			break
		}
	}
	l.log.Info("local list sent", "station", st.StationID, "version", st.Version, "full", full, "entries", len(changes))
	return sent, nil
}
