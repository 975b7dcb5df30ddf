package main

import (
	"net/http"
	"net/http/pprof"

	"github.com/labstack/echo/v4"
)

// mountPprof serves the runtime profiles of net/http/pprof under /debug/pprof/ behind auth
// (HUB_PPROF=true; off by default): /debug/pprof/ (index), /debug/pprof/profile?seconds=N
// (CPU), /debug/pprof/heap, /goroutine, /mutex, /block, /allocs, /threadcreate, /cmdline,
// /symbol and /trace?seconds=N.
func mountPprof(e *echo.Echo, auth echo.MiddlewareFunc) {
	g := e.Group("/debug/pprof", auth)
	wrap := func(f http.HandlerFunc) echo.HandlerFunc { return echo.WrapHandler(f) }
	g.GET("", func(c echo.Context) error { return c.Redirect(http.StatusMovedPermanently, "/debug/pprof/") })
	g.GET("/", wrap(pprof.Index))
	g.GET("/cmdline", wrap(pprof.Cmdline))
	g.GET("/profile", wrap(pprof.Profile))
	g.GET("/symbol", wrap(pprof.Symbol))
	g.POST("/symbol", wrap(pprof.Symbol))
	g.GET("/trace", wrap(pprof.Trace))
	g.GET("/:name", wrap(pprof.Index)) // heap, goroutine, allocs, block, mutex, threadcreate
}
