package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/chargehub/hub/ocpi"
)

// peer is a minimal OCPI 2.2.1 eMSP: it answers the hub's credentials handshake (`hub partners
// register`), then pushes its tokens to the hub's Tokens Receiver, and records every push of the
// hub (Locations, Sessions, CDRs, Tariffs Receivers) with its X-Correlation-ID, so that a push
// delivered twice shows.
type peer struct {
	base    string // http://addr/ocpi/emsp
	party   [2]string
	tags    []string
	log     *slog.Logger
	mu      sync.Mutex
	hubTok  string // token B: how we call the hub
	pushed  int    // tokens the hub accepted
	pushErr string
	seen    map[string]*receipt // correlation id → first receipt
	total   int
	modules map[string]int
	cdrs    map[string]int // CDR id → POSTs
}

type receipt struct {
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Count  int       `json:"count"`
	First  time.Time `json:"first"`
	Last   time.Time `json:"last"`
}

// peerStats is GET /stats.
type peerStats struct {
	Registered   bool               `json:"registered"`
	TokensPushed int                `json:"tokens_pushed"`
	PushError    string             `json:"push_error,omitempty"`
	Received     int                `json:"received"`
	Modules      map[string]int     `json:"modules"`
	Duplicates   map[string]receipt `json:"duplicates"`
	CDRs         map[string]int     `json:"cdrs"`
}

func runEMSP(args []string) error {
	fs := flag.NewFlagSet("emsp", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "listen address (loopback)")
	party := fs.String("party", "NL/EMP", "country code/party id")
	tags := fs.String("tags", "CRASHTAG", "token uid prefix: PREFIX00001...")
	count := fs.Int("count", 10, "tokens to push")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cc, pid, ok := strings.Cut(*party, "/")
	if !ok {
		return fmt.Errorf("--party %q: want CC/PID", *party)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	p := &peer{base: "http://" + ln.Addr().String() + "/ocpi/emsp", party: [2]string{cc, pid},
		log: slog.New(slog.NewJSONHandler(os.Stderr, nil)), seen: map[string]*receipt{}, modules: map[string]int{}, cdrs: map[string]int{}}
	for i := 1; i <= *count; i++ {
		p.tags = append(p.tags, fmt.Sprintf("%s%05d", *tags, i))
	}
	fmt.Printf("versions URL: %s/versions\n", p.base)
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 5 * time.Second}
	return srv.Serve(ln)
}

func (p *peer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	path := strings.TrimPrefix(r.URL.Path, "/ocpi/emsp")
	switch {
	case path == "/stats":
		p.stats(w)
	case path == "/versions":
		p.envelope(w, http.StatusOK, []ocpi.Version{{Version: ocpi.VersionNumber221, URL: p.base + "/2.2.1"}})
	case path == "/2.2.1" || path == "/2.2.1/":
		eps := []ocpi.Endpoint{{Identifier: ocpi.ModuleIDCredentials, Role: ocpi.InterfaceRoleSender, URL: p.base + "/2.2.1/credentials"}}
		for _, m := range []ocpi.ModuleID{ocpi.ModuleIDLocations, ocpi.ModuleIDSessions, ocpi.ModuleIDCdrs, ocpi.ModuleIDTariffs} {
			eps = append(eps, ocpi.Endpoint{Identifier: m, Role: ocpi.InterfaceRoleReceiver, URL: p.base + "/2.2.1/" + string(m)})
		}
		p.envelope(w, http.StatusOK, ocpi.VersionDetails{Version: ocpi.VersionNumber221, Endpoints: eps})
	case path == "/2.2.1/credentials" && r.Method == http.MethodPost:
		p.credentials(w, body)
	case strings.HasPrefix(path, "/2.2.1/"):
		p.push(w, r, strings.TrimPrefix(path, "/2.2.1/"), body)
	default:
		http.NotFound(w, r)
	}
}

func (p *peer) envelope(w http.ResponseWriter, status int, data any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"data": data, "status_code": 1000, "timestamp": ocpi.NewDateTime(time.Now())})
}

// credentials answers the hub's POST (it sends token B) with ours, then pushes our tokens.
func (p *peer) credentials(w http.ResponseWriter, body []byte) {
	var c ocpi.Credentials
	if err := json.Unmarshal(body, &c); err != nil || c.Token == "" {
		p.envelope(w, http.StatusBadRequest, nil)
		return
	}
	p.mu.Lock()
	p.hubTok = c.Token
	p.mu.Unlock()
	p.envelope(w, http.StatusOK, ocpi.Credentials{Token: fmt.Sprintf("crash-C-%d", time.Now().UnixNano()), URL: p.base + "/versions",
		Roles: []ocpi.CredentialsRole{{Role: ocpi.RoleEMSP, CountryCode: p.party[0], PartyID: p.party[1],
			BusinessDetails: ocpi.BusinessDetails{Name: "crash eMSP"}}}})
	go p.pushTokens(c.URL) // the hub finishes its side of the handshake meanwhile
}

// pushTokens PUTs every token into the hub's Tokens Receiver (retrying until the hub has
// registered us).
func (p *peer) pushTokens(hubVersions string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var tokensURL string
	for tokensURL == "" {
		if ctx.Err() != nil {
			p.setPushErr("find the hub's tokens receiver: timed out")
			return
		}
		var err error
		if tokensURL, err = p.hubTokensURL(ctx, hubVersions); err != nil {
			p.setPushErr(err.Error())
			time.Sleep(200 * time.Millisecond)
		}
	}
	for _, uid := range p.tags {
		tok := ocpi.Token{CountryCode: p.party[0], PartyID: p.party[1], UID: uid, Type: ocpi.TokenTypeRFID,
			ContractID: p.party[0] + "-" + p.party[1] + "-" + uid, Issuer: "crash eMSP", Valid: true,
			Whitelist: ocpi.WhitelistTypeAlways, LastUpdated: ocpi.NewDateTime(time.Now())}
		target := fmt.Sprintf("%s/%s/%s/%s?type=RFID", tokensURL, p.party[0], p.party[1], url.PathEscape(uid))
		for {
			status, _, err := p.call(ctx, http.MethodPut, target, tok)
			if err == nil && (status == http.StatusOK || status == http.StatusCreated) {
				break
			}
			if ctx.Err() != nil {
				p.setPushErr(fmt.Sprintf("PUT token %s: status %d, %v", uid, status, err))
				return
			}
			time.Sleep(200 * time.Millisecond)
		}
		p.mu.Lock()
		p.pushed++
		p.mu.Unlock()
	}
	p.setPushErr("")
}

func (p *peer) setPushErr(s string) { p.mu.Lock(); p.pushErr = s; p.mu.Unlock() }

func (p *peer) hubTokensURL(ctx context.Context, versions string) (string, error) {
	var list struct{ Data []ocpi.Version }
	if _, b, err := p.call(ctx, http.MethodGet, versions, nil); err != nil {
		return "", err
	} else if err := json.Unmarshal(b, &list); err != nil {
		return "", fmt.Errorf("hub versions: %w", err)
	}
	for _, v := range list.Data {
		if v.Version != ocpi.VersionNumber221 {
			continue
		}
		var d struct{ Data ocpi.VersionDetails }
		if _, b, err := p.call(ctx, http.MethodGet, v.URL, nil); err != nil {
			return "", err
		} else if err := json.Unmarshal(b, &d); err != nil {
			return "", fmt.Errorf("hub version details: %w", err)
		}
		if u, ok := d.Data.EndpointURL(ocpi.ModuleIDTokens, ocpi.InterfaceRoleReceiver); ok {
			return u, nil
		}
	}
	return "", fmt.Errorf("the hub lists no 2.2.1 tokens receiver")
}

func (p *peer) call(ctx context.Context, method, target string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return 0, nil, err
	}
	p.mu.Lock()
	tok := p.hubTok
	p.mu.Unlock()
	req.Header.Set("Authorization", "Token "+base64.StdEncoding.EncodeToString([]byte(tok)))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, nil
}

// push records one push of the hub and accepts it.
func (p *peer) push(w http.ResponseWriter, r *http.Request, rest string, body []byte) {
	module, _, _ := strings.Cut(rest, "/")
	corr := r.Header.Get("X-Correlation-ID")
	now := time.Now()
	p.mu.Lock()
	p.total++
	p.modules[module]++
	if rc := p.seen[corr]; rc != nil && corr != "" {
		rc.Count++
		rc.Last = now
	} else if corr != "" {
		p.seen[corr] = &receipt{Method: r.Method, Path: r.URL.Path, Count: 1, First: now, Last: now}
	}
	if module == "cdrs" && r.Method == http.MethodPost {
		var c struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(body, &c)
		p.cdrs[c.ID]++
		w.Header().Set("Location", p.base+"/2.2.1/cdrs/"+url.PathEscape(c.ID))
	}
	p.mu.Unlock()
	p.envelope(w, http.StatusOK, nil)
}

func (p *peer) stats(w http.ResponseWriter) {
	p.mu.Lock()
	s := peerStats{Registered: p.hubTok != "", TokensPushed: p.pushed, PushError: p.pushErr, Received: p.total,
		Modules: map[string]int{}, Duplicates: map[string]receipt{}, CDRs: map[string]int{}}
	for k, v := range p.modules {
		s.Modules[k] = v
	}
	for k, v := range p.seen {
		if v.Count > 1 {
			s.Duplicates[k] = *v
		}
	}
	for k, v := range p.cdrs {
		s.CDRs[k] = v
	}
	p.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(s)
}
