package main

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chargehub/hub/cluster"
)

// startCluster joins the cluster of hub nodes sharing the PostgreSQL database (on SQLite: a
// single-node pass-through) and resets station presence in place of db.ResetOnline: stations
// that no live node holds are offline. When no other node is alive (always on SQLite), the
// outbox leases a crashed process left are released so its claimed items go out at once.
func (h *hub) startCluster(ctx context.Context) error {
	n, err := cluster.Open(ctx, h.cfg.DatabaseURL, cluster.Config{NodeID: h.cfg.NodeID, Heartbeat: h.cfg.NodeHeartbeat,
		CallTimeout: h.cfg.CallTimeout, Advertise: h.cfg.HTTPAddr, OnDeadNodes: h.releaseDeadLeases}, h.log)
	if err != nil {
		return err
	}
	if n.Clustered() {
		h.db.SetNodeID(n.ID()) // outbox leases name their node, for releaseDeadLeases
	}
	others, err := n.ResetOnline(ctx, h.db.ResetOnline)
	if err == nil && others == 0 {
		var released int64
		if released, err = h.db.ReleaseOutboxLeases(ctx); released > 0 {
			h.log.Info("outbox leases of a stopped process released", "items", released)
		}
	}
	if err != nil {
		_ = n.Close(ctx)
		return fmt.Errorf("reset station presence: %w", err)
	}
	h.cluster = n
	return nil
}

// releaseDeadLeases releases the outbox leases of dead nodes: a killed node's claimed pushes go
// out from the live nodes at once instead of after their lease.
func (h *hub) releaseDeadLeases(ctx context.Context, nodes []string) {
	n, err := h.db.ReleaseOutboxLeasesOf(ctx, nodes)
	if err != nil {
		h.log.Warn("release outbox leases of dead nodes", "nodes", nodes, "err", err)
		return
	}
	if n > 0 { // the outbox workers poll every second: no need to wake them
		h.log.Info("outbox leases of dead nodes released", "nodes", nodes, "items", n)
	}
}

// stopCluster leaves the cluster; call it after the OCPP server has closed its sockets.
func (h *hub) stopCluster(ctx context.Context) error {
	if h.cluster == nil {
		return nil
	}
	return h.cluster.Close(ctx)
}

// singleton wraps a cron job so that it runs on one node at a time, about once per period
// across the cluster (see cluster.Node.Job); on SQLite, or before the cluster is started, it
// just runs.
func (h *hub) singleton(name string, every time.Duration, fn func()) func() {
	if h.cluster == nil {
		return fn
	}
	return h.cluster.Job(name, every, func(context.Context) { fn() })
}

// mountCluster adds GET /api/v1/cluster/nodes (the nodes, alive or dead, and how many
// stations each holds) and, with HUB_PPROF=true, /debug/pprof/ — both behind the admin token.
func (h *hub) mountCluster(e *echo.Echo) {
	auth := bearer(h.cfg.AdminToken)
	e.GET("/api/v1/cluster/nodes", func(c echo.Context) error {
		nodes, err := h.cluster.Nodes(c.Request().Context())
		if err != nil {
			h.log.Error("list cluster nodes", "err", err)
			return c.JSON(http.StatusServiceUnavailable, map[string]string{"error": "database unreachable"})
		}
		return c.JSON(http.StatusOK, map[string]any{"node_id": h.cluster.ID(), "clustered": h.cluster.Clustered(), "nodes": nodes})
	}, auth)
	if h.cfg.Pprof {
		mountPprof(e, auth)
	}
}

// bearer requires Authorization: Bearer <token>, compared in constant time (as the admin API).
func bearer(token string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Request().Header.Get("Authorization")
			const p = "Bearer "
			if len(h) <= len(p) || !strings.EqualFold(h[:len(p)], p) ||
				subtle.ConstantTimeCompare([]byte(strings.TrimSpace(h[len(p):])), []byte(token)) != 1 {
				c.Response().Header().Set("WWW-Authenticate", `Bearer realm="hub"`)
				return c.JSON(http.StatusUnauthorized, map[string]string{"error": "missing or wrong admin token"})
			}
			return next(c)
		}
	}
}
