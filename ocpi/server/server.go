// Package server is the hub's OCPI 2.2.1 server (CPO role) on Echo: versions and credentials,
// the Sender interfaces of Locations, Sessions, CDRs and Tariffs, the Receiver interfaces of
// Tokens, Commands, ChargingProfiles and HubClientInfo.
//
// Every response carries the OCPI envelope, X-Request-ID and X-Correlation-ID (echoed or
// generated), and on functional modules the OCPI-from/to routing headers. Errors are translated
// once, in errors.go, to an OCPI status code and an HTTP status; bad input never yields a 500.
package server

import (
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// Config tunes the server. The zero value is usable.
type Config struct {
	// MaxPageSize caps the page size of every list (a partner's own cap may be lower);
	// 0 = 1000. It is what X-Limit reports.
	MaxPageSize int
	// DefaultPageSize is used when a request has no limit; 0 = 100 (never above the cap).
	DefaultPageSize int
	// MaxBodyBytes bounds request bodies; 0 = 1 MiB.
	MaxBodyBytes int64
}

// Server serves OCPI below /ocpi.
type Server struct {
	svc *roaming.Service
	cfg Config
	log *slog.Logger
}

// New builds the server on the roaming service.
func New(svc *roaming.Service, cfg Config, log *slog.Logger) *Server {
	if cfg.MaxPageSize <= 0 {
		cfg.MaxPageSize = 1000
	}
	if cfg.DefaultPageSize <= 0 {
		cfg.DefaultPageSize = 100
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if log == nil {
		log = slog.Default()
	}
	return &Server{svc: svc, cfg: cfg, log: log}
}

// module is one functional module's base path below roaming.ModulesPath.
type module struct {
	id   ocpi.ModuleID
	role ocpi.InterfaceRole
}

// modules returns the interfaces the hub implements, in the order of its version details.
func modules() []module {
	return []module{
		{ocpi.ModuleIDLocations, ocpi.InterfaceRoleSender},
		{ocpi.ModuleIDSessions, ocpi.InterfaceRoleSender},
		{ocpi.ModuleIDCdrs, ocpi.InterfaceRoleSender},
		{ocpi.ModuleIDTariffs, ocpi.InterfaceRoleSender},
		{ocpi.ModuleIDTokens, ocpi.InterfaceRoleReceiver},
		{ocpi.ModuleIDCommands, ocpi.InterfaceRoleReceiver},
		{ocpi.ModuleIDChargingProfiles, ocpi.InterfaceRoleReceiver},
		{ocpi.ModuleIDHubClientInfo, ocpi.InterfaceRoleReceiver},
	}
}

// access says who may call a route.
type access int

const (
	configAccess     access = iota // versions, details, credentials: token A or a handshake token
	registeredAccess               // hubclientinfo: a registered partner, no routing headers
	functionalAccess               // functional modules: a registered partner, routing headers
)

// Mount adds the OCPI routes to e below /ocpi.
func (s *Server) Mount(e *echo.Echo) {
	g := e.Group("/ocpi", s.envelope)
	s.route(g, roaming.VersionsPath, configAccess, handlers{http.MethodGet: s.versions})
	s.route(g, roaming.DetailsPath, configAccess, handlers{http.MethodGet: s.details})
	s.route(g, roaming.CredentialsPath, configAccess, handlers{http.MethodGet: s.getCredentials,
		http.MethodPost: s.postCredentials, http.MethodPut: s.putCredentials, http.MethodDelete: s.deleteCredentials})

	m := roaming.ModulesPath
	s.route(g, m+"/locations", functionalAccess, handlers{http.MethodGet: s.listLocations})
	s.route(g, m+"/locations/:location_id", functionalAccess, handlers{http.MethodGet: s.getLocation})
	s.route(g, m+"/locations/:location_id/:evse_uid", functionalAccess, handlers{http.MethodGet: s.getEVSE})
	s.route(g, m+"/locations/:location_id/:evse_uid/:connector_id", functionalAccess, handlers{http.MethodGet: s.getConnector})
	s.route(g, m+"/sessions", functionalAccess, handlers{http.MethodGet: s.listSessions})
	s.route(g, m+"/sessions/:session_id/charging_preferences", functionalAccess, handlers{http.MethodPut: s.putChargingPreferences})
	s.route(g, m+"/cdrs", functionalAccess, handlers{http.MethodGet: s.listCDRs})
	s.route(g, m+"/tariffs", functionalAccess, handlers{http.MethodGet: s.listTariffs})
	s.route(g, m+"/tokens/:country_code/:party_id/:token_uid", functionalAccess, handlers{http.MethodGet: s.getToken,
		http.MethodPut: s.putToken, http.MethodPatch: s.patchToken})
	s.route(g, m+"/commands/:command", functionalAccess, handlers{http.MethodPost: s.postCommand})
	s.route(g, m+"/chargingprofiles/:session_id", functionalAccess, handlers{http.MethodGet: s.getChargingProfile,
		http.MethodPut: s.putChargingProfile, http.MethodDelete: s.deleteChargingProfile})
	s.route(g, m+"/hubclientinfo/:country_code/:party_id", registeredAccess, handlers{http.MethodGet: s.getClientInfo,
		http.MethodPut: s.putClientInfo})
}

// handlers maps HTTP methods to the handlers of one path.
type handlers map[string]echo.HandlerFunc

// allMethods returns the methods OCPI uses; the ones a path does not offer answer 405.
func allMethods() []string {
	return []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}
}

// route registers a path (below /ocpi, given in full) with and without a trailing slash, with
// the middleware of its access level; the other OCPI methods answer 405 with an envelope.
func (s *Server) route(g *echo.Group, full string, a access, hs handlers) {
	path := full[len("/ocpi"):]
	mw := []echo.MiddlewareFunc{s.authenticate(a)}
	if a == functionalAccess {
		mw = append(mw, s.routing)
	}
	for _, p := range []string{path, path + "/"} {
		for _, m := range allMethods() {
			h, ok := hs[m]
			if !ok {
				h = methodNotAllowed
			}
			g.Add(m, p, h, mw...)
		}
	}
}

func methodNotAllowed(c echo.Context) error {
	return echo.NewHTTPError(http.StatusMethodNotAllowed, "method "+c.Request().Method+" is not offered by this interface")
}
