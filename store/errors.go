package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/ncruces/go-sqlite3"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/chargehub/hub/charging"
)

// PostgreSQL SQLSTATE codes the store translates.
const (
	pgUniqueViolation     = "23505"
	pgForeignKeyViolation = "23503"
)

// translate turns a database error into the domain's coded error: CodeNotFound for a missing
// row or a missing referenced row, CodeConflict for a unique violation, and a wrapped error
// (CodeInternal) for anything else. op names the operation for the message.
func translate(err error, op string, args ...any) error {
	if err == nil {
		return nil
	}
	what := fmt.Sprintf(op, args...)
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound), errors.Is(err, sql.ErrNoRows):
		return charging.Errorf(charging.CodeNotFound, "store: %s: not found", what)
	case isUniqueViolation(err):
		return charging.Errorf(charging.CodeConflict, "store: %s: already exists: %w", what, err)
	case isForeignKeyViolation(err):
		return charging.Errorf(charging.CodeNotFound, "store: %s: referenced row does not exist: %w", what, err)
	}
	return fmt.Errorf("store: %s: %w", what, err)
}

// notFound is the CodeNotFound error for an update or delete that matched no row.
func notFound(op string, args ...any) error {
	return charging.Errorf(charging.CodeNotFound, "store: %s: not found", fmt.Sprintf(op, args...))
}

// conflict is the CodeConflict error for an insert that hit a unique key.
func conflict(op string, args ...any) error {
	return charging.Errorf(charging.CodeConflict, "store: %s: already exists", fmt.Sprintf(op, args...))
}

// isUniqueViolation reports a unique or primary key violation on either dialect.
func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	switch {
	case errors.Is(err, gorm.ErrDuplicatedKey),
		errors.Is(err, sqlite3.CONSTRAINT_UNIQUE),
		errors.Is(err, sqlite3.CONSTRAINT_PRIMARYKEY):
		return true
	case errors.As(err, &pgErr):
		return pgErr.Code == pgUniqueViolation
	}
	return false
}

// isForeignKeyViolation reports a foreign key violation on either dialect.
func isForeignKeyViolation(err error) bool {
	var pgErr *pgconn.PgError
	switch {
	case errors.Is(err, gorm.ErrForeignKeyViolated),
		errors.Is(err, sqlite3.CONSTRAINT_FOREIGNKEY):
		return true
	case errors.As(err, &pgErr):
		return pgErr.Code == pgForeignKeyViolation
	}
	return false
}

// isFailure reports whether err is a real database failure rather than an expected outcome
// (no row, duplicate key, caller gave up).
func isFailure(err error) bool {
	return err != nil &&
		!errors.Is(err, gorm.ErrRecordNotFound) &&
		!errors.Is(err, sql.ErrNoRows) &&
		!errors.Is(err, context.Canceled) &&
		!isUniqueViolation(err)
}

// errorCounter is a GORM plugin calling hook after every statement that failed.
type errorCounter struct{ hook func() }

func (*errorCounter) Name() string { return "hub:error_counter" }

func (p *errorCounter) Initialize(db *gorm.DB) error {
	const name = "hub:count_errors"
	count := func(tx *gorm.DB) {
		if isFailure(tx.Error) {
			p.hook()
		}
	}
	cb := db.Callback()
	return errors.Join(
		cb.Create().After("*").Register(name, count),
		cb.Query().After("*").Register(name, count),
		cb.Update().After("*").Register(name, count),
		cb.Delete().After("*").Register(name, count),
		cb.Row().After("*").Register(name, count),
		cb.Raw().After("*").Register(name, count),
	)
}

// gormLogger routes GORM's log to slog: failed statements at Error, slow ones at Warn,
// nothing else, as for the hand-written statements (stmtObserver.report; errorCounter counts
// GORM's failures). SQL is logged without its parameter values.
type gormLogger struct {
	obs *stmtObserver
	log *slog.Logger
}

var (
	_ logger.Interface  = (*gormLogger)(nil)
	_ gorm.ParamsFilter = (*gormLogger)(nil)
)

func (l *gormLogger) LogMode(logger.LogLevel) logger.Interface { return l }

func (l *gormLogger) Info(ctx context.Context, msg string, args ...any) {
	l.log.DebugContext(ctx, "gorm: "+fmt.Sprintf(msg, args...))
}

func (l *gormLogger) Warn(ctx context.Context, msg string, args ...any) {
	l.log.WarnContext(ctx, "gorm: "+fmt.Sprintf(msg, args...))
}

func (l *gormLogger) Error(ctx context.Context, msg string, args ...any) {
	l.log.ErrorContext(ctx, "gorm: "+fmt.Sprintf(msg, args...))
}

func (l *gormLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	l.obs.report(ctx, time.Since(begin), err, fc)
}

// ParamsFilter drops parameter values from logged SQL: they may hold payloads and hashes.
func (l *gormLogger) ParamsFilter(_ context.Context, sql string, _ ...any) (string, []any) {
	return sql, nil
}

// explainedPlaceholder is how GORM's Explain renders a PostgreSQL $n placeholder that has no
// value ("$1$"); clip turns it back into $n.
var explainedPlaceholder = regexp.MustCompile(`\$(\d+)\$`)

// clip tidies SQL for the log and shortens it (batched inserts are long).
func clip(s string) string {
	const max = 500
	s = explainedPlaceholder.ReplaceAllString(s, "$$$1")
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}
