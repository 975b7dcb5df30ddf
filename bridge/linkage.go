package bridge

import (
	"context"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/store"
)

// linkSlack is how long after a transaction's start a remote start may still be recorded (the
// station can start before the hub stored its own remote start row, by a few ms).
const linkSlack = time.Minute

// RemoteStartOf returns the remote start (START_SESSION) that started transaction t, if any:
// with it the session publisher gets the command's token (Token, for cdr_token), its
// authorization_reference, the requesting partner and party, and knows the session's
// auth_method is COMMAND.
//
// The first call for a transaction links it to its remote start: by the 2.0.1 remoteStartId the
// transaction carries, else by the 2.0.1 transaction id the station reported when it accepted
// the request, else (1.6) by station, EVSE and idTag (the token uid or its alias) among the
// unlinked remote starts of the RemoteStartWindow before the transaction start, newest first.
// Later calls find the link. A remote start is linked to one transaction only.
//
// tx is the store of the caller's database transaction (charging.Publisher hooks run inside
// one): when it is a *store.DB the link is written in it; otherwise (nil) the Commands' own store
// is used. Call it from the publisher's TransactionChanged.
func (c *Commands) RemoteStartOf(ctx context.Context, tx charging.Store, t charging.Transaction) (store.RemoteStart, bool, error) {
	bc := c.state
	if db, ok := tx.(*store.DB); ok {
		bc = db.BridgeCommands()
	}
	if t.ID > 0 {
		linked, err := bc.FindRemoteStarts(ctx, store.RemoteStartFilter{TransactionID: t.ID, Limit: 1})
		if err != nil || len(linked) > 0 {
			return first(linked), len(linked) > 0, err
		}
	}
	cand, err := c.candidate(ctx, bc, t)
	if err != nil || cand == nil || t.ID <= 0 {
		if cand != nil {
			return *cand, true, err
		}
		return store.RemoteStart{}, false, err
	}
	err = bc.LinkRemoteStart(ctx, cand.ID, t.ID)
	if charging.ErrorCode(err) == charging.CodeConflict { // linked meanwhile (to this transaction or another)
		linked, ferr := bc.FindRemoteStarts(ctx, store.RemoteStartFilter{TransactionID: t.ID, Limit: 1})
		return first(linked), len(linked) > 0, ferr
	}
	if err != nil {
		return store.RemoteStart{}, false, err
	}
	id := t.ID
	cand.TransactionID = &id
	c.log.Info("transaction linked to its remote start", "transaction", t.ID, "station", t.StationID, "command", cand.CommandID)
	return *cand, true, nil
}

// candidate finds the unlinked remote start a transaction belongs to, nil if none.
func (c *Commands) candidate(ctx context.Context, bc *store.BridgeCommands, t charging.Transaction) (*store.RemoteStart, error) {
	if t.RemoteStartID != nil && *t.RemoteStartID > 0 {
		list, err := bc.FindRemoteStarts(ctx, store.RemoteStartFilter{ID: int64(*t.RemoteStartID), StationID: t.StationID, Unlinked: true, Limit: 1})
		if err != nil || len(list) > 0 {
			return firstPtr(list), err
		}
	}
	if t.StationTxID != "" {
		list, err := bc.FindRemoteStarts(ctx, store.RemoteStartFilter{StationID: t.StationID, StationTxID: t.StationTxID, Unlinked: true, Limit: 1})
		if err != nil || len(list) > 0 {
			return firstPtr(list), err
		}
	}
	if t.IDTag == "" {
		return nil, nil
	}
	ref := t.StartReceivedAt
	if ref.IsZero() {
		ref = t.StartedAt
	}
	list, err := bc.FindRemoteStarts(ctx, store.RemoteStartFilter{StationID: t.StationID, IDTag: t.IDTag, Unlinked: true, Matchable: true,
		CreatedFrom: ref.Add(-c.cfg.RemoteStartWindow), CreatedTo: ref.Add(linkSlack), Limit: 10})
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].EVSEID == 0 || t.EVSEID == 0 || list[i].EVSEID == t.EVSEID {
			return &list[i], nil
		}
	}
	return nil, nil
}

func first(l []store.RemoteStart) store.RemoteStart {
	if len(l) == 0 {
		return store.RemoteStart{}
	}
	return l[0]
}

func firstPtr(l []store.RemoteStart) *store.RemoteStart {
	if len(l) == 0 {
		return nil
	}
	return &l[0]
}
