package bridge

import (
	"context"
	"fmt"
	"strings"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// The command executor tells the Session publisher which transactions its remote starts began:
// installed as the roaming service's CommandExecutor, Commands is also its SessionAuthSource
// (roaming.Service.AuthSource), with no wiring of its own.
var _ roaming.SessionAuthSource = (*Commands)(nil)

// SessionAuth returns, for a transaction a START_SESSION began (RemoteStartOf, which links the
// two in tx), the command's token, auth_method COMMAND and its authorization_reference; known is
// false for any other transaction.
func (c *Commands) SessionAuth(ctx context.Context, tx charging.Store, t charging.Transaction) (roaming.SessionAuth, bool, error) {
	rs, ok, err := c.RemoteStartOf(ctx, tx, t)
	if err != nil {
		return roaming.SessionAuth{}, false, fmt.Errorf("remote start of transaction %d: %w", t.ID, err)
	}
	if !ok {
		return roaming.SessionAuth{}, false, nil
	}
	tok := ocpi.CdrToken{CountryCode: strings.ToUpper(rs.Token.CountryCode), PartyID: strings.ToUpper(rs.Token.PartyID),
		UID: rs.Token.UID, Type: rs.Token.Type, ContractID: rs.Token.ContractID}
	return roaming.SessionAuth{Token: &tok, Method: ocpi.AuthMethodCommand, AuthorizationReference: rs.AuthorizationReference}, true, nil
}
