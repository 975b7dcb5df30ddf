package charging

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"math/big"
)

// PasswordSetter pushes a new Basic-auth password to a connected station in its protocol
// (1.6 ChangeConfiguration AuthorizationKey, 2.0.1 SetVariables BasicAuthPassword) and
// reports whether the station accepted it.
type PasswordSetter interface {
	SetPassword(ctx context.Context, stationID string, password []byte) (accepted bool, err error)
}

const passwordAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// NewStationPassword returns 20 random alphanumeric characters: valid as a 1.6
// AuthorizationKey (20 bytes, sent hex-encoded) and as a 2.0.1 BasicAuthPassword (16–40
// characters of the passwordString set).
func NewStationPassword() ([]byte, error) {
	out := make([]byte, 20)
	max := big.NewInt(int64(len(passwordAlphabet)))
	for i := range out {
		n, err := rand.Int(rand.Reader, max)
		if err != nil {
			return nil, err
		}
		out[i] = passwordAlphabet[n.Int64()]
	}
	return out, nil
}

// RotatePassword generates a new password, pushes it to the station and switches to it
// once the station confirmed. Without an answer (timeout, lost socket) both passwords are
// accepted until the station uses one of them; a refusal keeps the old one. The new
// password is returned for the operator's records.
func (s *Service) RotatePassword(ctx context.Context, stationID string, setter PasswordSetter) (string, error) {
	pw, err := NewStationPassword()
	if err != nil {
		return "", Errorf(CodeInternal, "generate password: %w", err)
	}
	hash, err := HashPassword(pw)
	if err != nil {
		return "", err
	}
	if err := s.updateStation(ctx, stationID, func(st *Station) { st.PendingPasswordHash = hash }); err != nil {
		return "", err
	}
	accepted, err := setter.SetPassword(ctx, stationID, pw)
	switch {
	case err != nil && (ErrorCode(err) == CodeTimeout || ErrorCode(err) == CodeUnavailable):
		s.log.Warn("station did not confirm its new password; both are accepted until it uses one", "station", stationID, "err", err)
		return string(pw), err
	case err != nil:
		_ = s.updateStation(ctx, stationID, func(st *Station) { st.PendingPasswordHash = "" })
		return "", err
	case !accepted:
		_ = s.updateStation(ctx, stationID, func(st *Station) { st.PendingPasswordHash = "" })
		return "", Errorf(CodeConflict, "station %s refused the new password", stationID)
	}
	err = s.updateStation(ctx, stationID, func(st *Station) {
		st.PasswordHash, st.PendingPasswordHash = hash, ""
		if st.SecurityProfile == 0 {
			st.SecurityProfile = 1
		}
	})
	s.forgetAuth(stationID)
	return string(pw), err
}

// HexKey is how a 1.6 AuthorizationKey travels: the password bytes, hex-encoded.
func HexKey(password []byte) string { return hex.EncodeToString(password) }

func (s *Service) updateStation(ctx context.Context, id string, change func(*Station)) error {
	return s.store.InTx(ctx, func(tx Store) error {
		st, err := tx.GetStation(ctx, id)
		if err != nil {
			return err
		}
		change(&st)
		st.UpdatedAt = s.clock.Now()
		return tx.UpdateStation(ctx, st)
	})
}
