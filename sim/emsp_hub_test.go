package sim_test

import (
	"context"
	"testing"
	"time"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpi/ocpitest"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/sim"
	"github.com/chargehub/hub/store/storetest"
)

// TestEMSPWithHub runs the simulated eMSP against the hub's OCPI side on both databases: it
// registers with token A (and the hub registers with a second one), receives the tariff push,
// pushes a token the hub stores, and gets an answer to a command.
func TestEMSPWithHub(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		h := ocpitest.NewHub(t, dbURL, ocpitest.HubOptions{})
		_, tokenA, err := h.Svc.CreatePartner(ctx, roaming.NewPartner{Name: "Sim", Role: ocpi.RoleEMSP,
			Party: roaming.Party{CountryCode: "NL", PartyID: "EMP"}})
		if err != nil {
			t.Fatal(err)
		}
		e, err := sim.StartEMSP(sim.EMSPConfig{Listen: "127.0.0.1:0", Log: ocpitest.Logger()})
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		if err := e.Register(ctx, h.VersionsURL(), "wrong-token"); err == nil {
			t.Fatal("registered with a wrong token A")
		}
		if err := e.Register(ctx, h.VersionsURL(), tokenA); err != nil {
			t.Fatal(err)
		}
		if !e.Registered() || e.HubParty() != (roaming.Party{CountryCode: "IN", PartyID: "HUB"}) {
			t.Fatalf("registered %v with %s", e.Registered(), e.HubParty())
		}

		if err := h.Svc.PutTariff(ctx, ocpi.Tariff{ID: "T1", Currency: "EUR", Elements: []ocpi.TariffElement{{PriceComponents: []ocpi.PriceComponent{
			{Type: ocpi.TariffDimensionEnergy, Price: ocpi.MustDecimal("0.30"), StepSize: 1}}}}}); err != nil {
			t.Fatal(err)
		}
		if err := e.Wait(ctx, func() bool { _, ok := e.Object("tariffs/IN/HUB/T1"); return ok }); err != nil {
			t.Fatalf("the tariff push: %v", err)
		}

		tok := e.NewToken("SIM-EMSP-0001", ocpi.TokenTypeAppUser, ocpi.WhitelistTypeAlways)
		for i, want := range []bool{true, false} {
			if created, err := e.PushToken(ctx, tok); err != nil || created != want {
				t.Fatalf("push %d: created %v, %v", i, created, err)
			}
		}
		st, err := h.Store.GetToken(ctx, roaming.TokenKey{Party: e.Party(), UID: tok.UID, Type: tok.Type})
		if err != nil || st.Token.Whitelist != ocpi.WhitelistTypeAlways || st.Token.ContractID != "NL-EMP-SIM-EMSP-0001" {
			t.Fatalf("the hub's copy: %+v, %v", st, err)
		}
		if got := e.Tokens(); len(got) != 1 || got[0].UID != tok.UID {
			t.Errorf("the Tokens Sender lists %+v", got)
		}
		cmd, err := e.StopSession(ctx, "no-such-session")
		if err != nil || !cmd.Response.Result.IsValid() || cmd.Response.Result == ocpi.CommandResponseAccepted || cmd.Ref == "" {
			t.Errorf("STOP_SESSION of an unknown session: %+v, %v", cmd, err)
		}

		// The other way round: the hub registers with a peer that handed it token A.
		e2, err := sim.StartEMSP(sim.EMSPConfig{Listen: "127.0.0.1:0", Party: roaming.Party{CountryCode: "DE", PartyID: "EMX"}})
		if err != nil {
			t.Fatal(err)
		}
		defer e2.Close()
		p, err := h.Svc.RegisterWithPeer(ctx, e2.VersionsURL(), e2.IssueTokenA(), roaming.RegisterOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if p.Party != (roaming.Party{CountryCode: "DE", PartyID: "EMX"}) || p.Name != "Simulated eMSP" || !e2.Registered() ||
			e2.HubParty() != (roaming.Party{CountryCode: "IN", PartyID: "HUB"}) {
			t.Fatalf("partner %+v; peer registered %v with %s", p, e2.Registered(), e2.HubParty())
		}
		if _, err := e2.PushToken(ctx, e2.NewToken("DE-TOKEN", ocpi.TokenTypeRFID, ocpi.WhitelistTypeAllowed)); err != nil {
			t.Errorf("push with the token the hub registered with: %v", err)
		}
	})
}
