package charging

import (
	"context"
	"sort"
	"strings"
	"sync"
	"time"
)

// VendorProfile tunes how leniently the hub reads one vendor's (and optionally one model's)
// stations. The zero profile is the safe default: every leniency on, zone-less timestamps
// read as UTC, energy units taken as labelled.
type VendorProfile struct {
	Vendor string // matched case-insensitively against BootNotification's vendor
	Model  string // "" = every model of the vendor; else matched case-insensitively

	// TimeZone is the IANA zone in which timestamps without an offset are read (default UTC).
	TimeZone string
	// EnergyWhIsKWh: the station labels kWh readings as Wh (seen in the field); scale them ×1000.
	EnergyWhIsKWh bool
	// Reject lists wire leniency flags to refuse for these stations (e.g. "extra_field",
	// "enum_case", "too_long", "ts_no_zone", "type_number_value"); DecimalCommaRejected
	// refuses decimal commas in meter values.
	Reject               []string
	DecimalCommaRejected bool
	// Strict is certification mode: every schema deviation is a CALLERROR.
	Strict    bool
	UpdatedAt time.Time
}

// Matches reports whether p applies to a station of vendor and model.
func (p VendorProfile) Matches(vendor, model string) bool {
	return strings.EqualFold(p.Vendor, vendor) && (p.Model == "" || strings.EqualFold(p.Model, model))
}

// Location returns the zone for zone-less timestamps (UTC when unset or unknown).
func (p VendorProfile) Location() *time.Location {
	if p.TimeZone == "" {
		return time.UTC
	}
	if loc, err := time.LoadLocation(p.TimeZone); err == nil {
		return loc
	}
	return time.UTC
}

// PickProfile returns the most specific profile for vendor/model: an exact model match
// beats a vendor-wide one; no match is the zero (default) profile.
func PickProfile(profiles []VendorProfile, vendor, model string) VendorProfile {
	var best *VendorProfile
	for i := range profiles {
		p := &profiles[i]
		if !p.Matches(vendor, model) {
			continue
		}
		if best == nil || (best.Model == "" && p.Model != "") {
			best = p
		}
	}
	if best == nil {
		return VendorProfile{}
	}
	return *best
}

// ReinterpretZoneless moves a timestamp that was read as UTC because it had no zone into
// the profile's zone.
func (p VendorProfile) ReinterpretZoneless(t time.Time) time.Time {
	loc := p.Location()
	if loc == time.UTC {
		return t
	}
	u := t.UTC()
	return time.Date(u.Year(), u.Month(), u.Day(), u.Hour(), u.Minute(), u.Second(), u.Nanosecond(), loc).UTC()
}

// profileCache holds the vendor profiles in memory; they change rarely (admin edits) and
// are read on every connection and boot.
type profileCache struct {
	mu       sync.Mutex
	list     []VendorProfile // guarded by mu
	loadedAt time.Time       // guarded by mu
}

const profileCacheTTL = 30 * time.Second

// Profile returns the leniency profile for a station of vendor/model (the default profile
// when none matches or the store cannot be read).
func (s *Service) Profile(ctx context.Context, vendor, model string) VendorProfile {
	now := s.clock.Now()
	s.profiles.mu.Lock()
	defer s.profiles.mu.Unlock()
	if s.profiles.loadedAt.IsZero() || now.Sub(s.profiles.loadedAt) > profileCacheTTL {
		list, err := s.store.ListVendorProfiles(ctx)
		if err != nil {
			s.log.Error("load vendor profiles", "err", err)
		} else {
			s.profiles.list, s.profiles.loadedAt = list, now
		}
	}
	return PickProfile(s.profiles.list, vendor, model)
}

// PutVendorProfile validates and stores a profile.
func (s *Service) PutVendorProfile(ctx context.Context, p VendorProfile) (VendorProfile, error) {
	p.Vendor, p.Model = strings.TrimSpace(p.Vendor), strings.TrimSpace(p.Model)
	if p.Vendor == "" {
		return VendorProfile{}, Errorf(CodeInvalid, "vendor profile needs a vendor")
	}
	if p.TimeZone != "" {
		if _, err := time.LoadLocation(p.TimeZone); err != nil {
			return VendorProfile{}, Errorf(CodeInvalid, "time zone %q is not an IANA zone", p.TimeZone)
		}
	}
	for _, f := range p.Reject {
		if !knownLeniency[f] {
			return VendorProfile{}, Errorf(CodeInvalid, "reject: %q is not a leniency flag (known: %s)", f, strings.Join(LeniencyFlags(), ", "))
		}
	}
	p.UpdatedAt = s.clock.Now()
	if err := s.store.PutVendorProfile(ctx, p); err != nil {
		return VendorProfile{}, err
	}
	s.invalidateProfiles()
	return p, nil
}

// DeleteVendorProfile removes a profile.
func (s *Service) DeleteVendorProfile(ctx context.Context, vendor, model string) error {
	if err := s.store.DeleteVendorProfile(ctx, vendor, model); err != nil {
		return err
	}
	s.invalidateProfiles()
	return nil
}

func (s *Service) invalidateProfiles() {
	s.profiles.mu.Lock()
	s.profiles.loadedAt = time.Time{}
	s.profiles.mu.Unlock()
}

// knownLeniency lists the wire leniency flags a profile may refuse (ocpp/wire Flag* values).
var knownLeniency = map[string]bool{
	"null_field": true, "extra_field": true, "type_number_value": true, "type_string_number": true,
	"enum_case": true, "enum_unknown": true, "too_long": true, "multiple_of": true,
	"ts_offset_form": true, "ts_no_zone": true, "ts_separator": true,
}

// LeniencyFlags lists the refusable leniency flags, sorted.
func LeniencyFlags() []string {
	out := make([]string, 0, len(knownLeniency))
	for f := range knownLeniency {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}
