package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"sync"
	"time"

	"selfdata/internal/alert"
	"selfdata/internal/consent"
	"selfdata/internal/gate"
	"selfdata/internal/services"
	"selfdata/internal/services/energy"
	"selfdata/internal/store"
)

// energyChecks runs the Home energy service's checks (a leak, an excess, a freezing meter)
// on a person's readings and keeps what they find as alerts, emailed like the others. It
// reads as the built-in service, through the person's own grant to it: a person who has
// not switched the service on is not checked, and each check's reads are in their access
// log under the service's name. It runs after each write that added readings (the gate's
// OnReadings) and every day (a job), so that a leak is told the morning it shows.
type energyChecks struct {
	grants *consent.Grants
	gate   *gate.Gate
	alerts *alert.Alerts
	insts  interface {
		ListInstances(ctx context.Context) ([]store.Instance, error)
	}
	loc *time.Location
	now func() time.Time
	log *slog.Logger

	// Checks started by OnReadings run in the background, one at a time per person:
	// readings arriving during a check (an import in many batches) ask for one more run,
	// not one each.
	mu      sync.Mutex
	running map[string]bool
	again   map[string]bool
	wg      sync.WaitGroup
}

// checkTimeout bounds one person's check started by new readings.
const checkTimeout = time.Minute

func newEnergyChecks(st store.Store, g *gate.Gate, grants *consent.Grants, alerts *alert.Alerts, log *slog.Logger) (*energyChecks, error) {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return nil, fmt.Errorf("time zone: %w", err)
	}
	return &energyChecks{grants: grants, gate: g, alerts: alerts, insts: st, loc: loc, now: time.Now, log: log,
		running: map[string]bool{}, again: map[string]bool{}}, nil
}

// CheckInstance runs the checks on one person's data, as of now, and raises what they
// find, except the kinds the person silenced. An event already raised is not raised again.
func (c *energyChecks) CheckInstance(ctx context.Context, instanceID string) error {
	p, on, err := c.grants.BuiltIn(ctx, instanceID, services.Energy)
	if err != nil || !on {
		return err
	}
	src := energy.Source{Reader: services.Through(c.gate, p), Readable: func(dt string) bool { return p.Allows(dt, gate.Read) }, Loc: c.loc, Now: c.now()}
	ms, err := energy.FindMeters(ctx, src)
	if err != nil {
		return err
	}
	set, err := energy.ReadSettings(ctx, src)
	if err != nil {
		return err
	}
	found, err := energy.Check(ctx, src, ms)
	if err != nil {
		return err
	}
	var errs []error
	for _, f := range found {
		if !f.Raised || set.Silenced[f.Kind] {
			continue
		}
		params := maps.Clone(f.Params)
		params["series"] = f.Series
		if _, err := c.alerts.Raise(ctx, instanceID, store.Alert{Kind: f.Kind, Service: services.Energy, ServiceName: p.ActorName, Params: params, Dedup: f.Dedup}); err != nil {
			errs = append(errs, fmt.Errorf("%s alert: %w", f.Kind, err))
		}
	}
	return errors.Join(errs...)
}

// CheckAll checks every person, the daily job: one person's failure does not stop the
// others', and all are reported.
func (c *energyChecks) CheckAll(ctx context.Context) error {
	list, err := c.insts.ListInstances(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, in := range list {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := c.CheckInstance(ctx, in.ID); err != nil {
			errs = append(errs, fmt.Errorf("energy checks of %s: %w", in.ID, err))
		}
	}
	return errors.Join(errs...)
}

// ReadingsAdded is the gate's OnReadings: it starts the person's check in the background
// and returns at once, so that the write that added the readings is neither held nor
// failed by it. A failure is logged.
func (c *energyChecks) ReadingsAdded(ctx context.Context, instanceID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running[instanceID] {
		c.again[instanceID] = true
		return
	}
	c.running[instanceID] = true
	ctx = context.WithoutCancel(ctx)
	c.wg.Go(func() {
		for {
			run, cancel := context.WithTimeout(ctx, checkTimeout)
			if err := c.CheckInstance(run, instanceID); err != nil {
				c.log.Error("energy checks after new readings failed", "instance", instanceID, "err", err)
			}
			cancel()
			c.mu.Lock()
			if !c.again[instanceID] {
				delete(c.running, instanceID)
				c.mu.Unlock()
				return
			}
			delete(c.again, instanceID)
			c.mu.Unlock()
		}
	})
}

// Wait waits for the checks under way; serve calls it before it closes the store.
func (c *energyChecks) Wait() { c.wg.Wait() }
