package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/chargehub/hub/store/storetest"
)

// testPKI is a CA made at test time with a server certificate for 127.0.0.1 and client
// certificates on demand. Nothing secret is committed.
type testPKI struct {
	caCert *x509.Certificate
	caKey  *ecdsa.PrivateKey
	pool   *x509.CertPool
	dir    string
}

func newPKI(t *testing.T) *testPKI {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test CPO Root", Organization: []string{"Test CPO"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(der)
	p := &testPKI{caCert: ca, caKey: key, pool: x509.NewCertPool(), dir: t.TempDir()}
	p.pool.AddCert(ca)
	writePEM(t, filepath.Join(p.dir, "ca.pem"), "CERTIFICATE", der)
	return p
}

func writePEM(t *testing.T, path, typ string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// issue signs a leaf; server leaves get 127.0.0.1 as SAN, client leaves the client-auth usage.
func (p *testPKI) issue(t *testing.T, cn string, server bool) (tls.Certificate, []byte, []byte) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: cn, Organization: []string{"Test CPO"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
	if server {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
	} else {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.caCert, &key.PublicKey, p.caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalECPrivateKey(key)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, der, keyDER
}

func TestSecurityProfiles2And3OverTLS(t *testing.T) {
	pki := newPKI(t)
	_, srvDER, srvKey := pki.issue(t, "127.0.0.1", true)
	writePEM(t, filepath.Join(pki.dir, "server.pem"), "CERTIFICATE", srvDER)
	writePEM(t, filepath.Join(pki.dir, "server.key"), "EC PRIVATE KEY", srvKey)
	h := startTestHub(t, storetest.SQLiteURL(t), map[string]string{
		"HUB_TLS_ADDR": "127.0.0.1:0", "HUB_TLS_CERT": filepath.Join(pki.dir, "server.pem"),
		"HUB_TLS_KEY": filepath.Join(pki.dir, "server.key"), "HUB_TLS_CLIENT_CA": filepath.Join(pki.dir, "ca.pem"),
	})
	ctx := context.Background()
	if _, err := h.svc.RegisterStation(ctx, "P2", []byte("0123456789abcdef"), 2); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.RegisterStation(ctx, "P3", nil, 3); err != nil {
		t.Fatal(err)
	}
	wss := "wss://" + h.secure.Addr().String() + "/ocpp/"
	dialTLS := func(id string, cert *tls.Certificate, password string) (*http.Response, error) {
		tc := &tls.Config{RootCAs: pki.pool, MinVersion: tls.VersionTLS12}
		if cert != nil {
			tc.Certificates = []tls.Certificate{*cert}
		}
		d := websocket.Dialer{Subprotocols: []string{"ocpp1.6"}, TLSClientConfig: tc, HandshakeTimeout: 5 * time.Second}
		hdr := http.Header{}
		if password != "" {
			hdr.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(id+":"+password)))
		}
		c, resp, err := d.Dial(wss+id, hdr)
		if c != nil {
			c.Close()
		}
		return resp, err
	}
	status := func(resp *http.Response) int {
		if resp == nil {
			return 0
		}
		return resp.StatusCode
	}
	p3cert, _, _ := pki.issue(t, "P3", false)
	otherCert, _, _ := pki.issue(t, "P2", false)

	if resp, err := dialTLS("P2", nil, "0123456789abcdef"); err != nil || status(resp) != 101 {
		t.Fatalf("profile 2 over TLS: %d %v", status(resp), err)
	}
	if resp, _ := dialTLS("P2", nil, "wrong-password-xx"); status(resp) != 401 {
		t.Fatalf("profile 2 wrong password: %d", status(resp))
	}
	if _, resp, _ := dialStation(t, h, "P2", "0123456789abcdef"); resp == nil || resp.StatusCode != 403 {
		t.Fatalf("profile 2 station on plain ws must be refused (403)")
	}
	if resp, err := dialTLS("P3", &p3cert, ""); err != nil || status(resp) != 101 {
		t.Fatalf("profile 3 with its certificate: %d %v", status(resp), err)
	}
	if resp, _ := dialTLS("P3", &otherCert, ""); status(resp) != 401 {
		t.Fatalf("profile 3 with another station's valid certificate: %d, want 401", status(resp))
	}
	if resp, _ := dialTLS("P3", nil, ""); status(resp) != 403 {
		t.Fatalf("profile 3 without a certificate: %d, want 403", status(resp))
	}
}
