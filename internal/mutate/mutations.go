package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// A mutation is one concurrency bug injected into one file: each edit
// replaces a snippet that must occur exactly once in the pristine file
// (the hand-written table), or each span a range of bytes (the AST rules).
type mutation struct {
	id, file, desc string
	edits          []edit
	spans          []span // in file order, not overlapping
	// perfOnly, when set, says why the mutation makes the program slower
	// but not wrong: it is expected to survive and is not counted.
	perfOnly string
	line     int // where an AST rule found it, for the reader; 0 for the table
}

type edit struct{ old, new string }

// apply returns the file's content with m's edits made.
func (m mutation) apply(root string) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(root, m.file))
	if err != nil {
		return nil, fmt.Errorf("mutation %s: %w", m.id, err)
	}
	return m.applyTo(b)
}

// applyTo returns b with m's edits made.
func (m mutation) applyTo(b []byte) ([]byte, error) {
	for i := len(m.spans) - 1; i >= 0; i-- {
		sp := m.spans[i]
		if sp.off < 0 || sp.end > len(b) || sp.off > sp.end {
			return nil, fmt.Errorf("mutation %s: span [%d, %d) outside %s", m.id, sp.off, sp.end, m.file)
		}
		b = append(b[:sp.off:sp.off], append([]byte(sp.text), b[sp.end:]...)...)
	}
	for _, e := range m.edits {
		if n := bytes.Count(b, []byte(e.old)); n != 1 {
			return nil, fmt.Errorf("mutation %s: %s holds its snippet %d times, want exactly once: %q", m.id, m.file, n, e.old)
		}
		b = bytes.Replace(b, []byte(e.old), []byte(e.new), 1)
	}
	return b, nil
}

func one(old, new string) []edit { return []edit{{old, new}} }

// mutations is the hand-written table: the bugs the suite must catch that
// no AST rule of ast.go expresses (split atomics, off-by-ones, results in
// completion order, a context or a limit not used, …).
var mutations = []mutation{
	// counter.go
	{id: "counter-atomic-loadstore", file: "scenarios/counter.go",
		desc:  "AtomicCounter.Inc as Load then Store instead of Add",
		edits: one("func (c *AtomicCounter) Inc(w int) { c.n.Add(1) }", "func (c *AtomicCounter) Inc(w int) { c.n.Store(c.n.Load() + 1) }")},
	{id: "counter-sharded-one-shard", file: "scenarios/counter.go",
		desc:  "ShardedCounter.Inc: every worker load+store on shard 0",
		edits: one("func (c *ShardedCounter) Inc(w int) { c.shards[w].n.Add(1) }", "func (c *ShardedCounter) Inc(w int) { c.shards[0].n.Store(c.shards[0].n.Load() + 1) }")},
	{id: "counter-sharded-nopad", file: "scenarios/counter.go",
		desc:     "ShardedCounter shards without cache-line padding",
		edits:    one("\t_ [cacheLine - 8]byte\n", ""),
		perfOnly: "false sharing costs time, not correctness"},
	{id: "count-no-ctx-check", file: "scenarios/counter.go",
		desc: "Count's workers never check ctx",
		edits: []edit{
			{"\t\t\tfor i := range cfg.Items {\n\t\t\t\tif i%4096 == 0 && ctx.Err() != nil {\n\t\t\t\t\treturn\n\t\t\t\t}\n", "\t\t\tfor range cfg.Items {\n"},
		}},

	// condition.go
	{id: "queue-put-no-ctx-wake", file: "scenarios/condition.go",
		desc:  "Queue.Put's AfterFunc does not wake the producers on cancel",
		edits: one("\t\t\t\tq.mu.Lock()\n\t\t\t\tq.notFull.Broadcast()\n\t\t\t\tq.mu.Unlock()\n", "\t\t\t\tq.mu.Lock()\n\t\t\t\tq.mu.Unlock()\n")},

	// pipeline.go
	{id: "pipeline-close-early", file: "scenarios/pipeline.go",
		desc:  "results closed without waiting for the workers",
		edits: one("\t\tworking.Wait()\n\t\tclose(results)\n", "\t\tclose(results)\n")},
	{id: "pipeline-no-errgroup-ctx", file: "scenarios/pipeline.go",
		desc:  "a plain errgroup: a failing stage or sink cancels nothing",
		edits: one("\tg, ctx := errgroup.WithContext(ctx)\n", "\tg := new(errgroup.Group)\n")},
	{id: "pipeline-no-cancel-first", file: "scenarios/pipeline.go",
		desc:  "a worker starts an item though ctx is done",
		edits: one("\t\t\t\tif err := ctx.Err(); err != nil {\n\t\t\t\t\treturn err // select picks at random among ready cases: cancellation first\n\t\t\t\t}\n", "")},

	// semaphore.go
	{id: "semaphore-acquire-after-use", file: "scenarios/semaphore.go",
		desc: "UseLimited uses the resource, then acquires",
		edits: one("\t\t\tif sem.Acquire(ctx) != nil {\n\t\t\t\treturn\n\t\t\t}\n\t\t\tg.Enter()\n\t\t\terr := Sleep(ctx, cfg.Latency)\n\t\t\tg.Leave()\n\t\t\tsem.Release()\n",
			"\t\t\tg.Enter()\n\t\t\terr := Sleep(ctx, cfg.Latency)\n\t\t\tg.Leave()\n\t\t\tif sem.Acquire(ctx) != nil {\n\t\t\t\treturn\n\t\t\t}\n\t\t\tsem.Release()\n")},
	{id: "chansem-release-noop", file: "scenarios/semaphore.go",
		desc:  "ChanSemaphore.Release gives nothing back",
		edits: one("func (s ChanSemaphore) Release() { <-s }", "func (s ChanSemaphore) Release() {}")},
	{id: "chansem-one-extra-permit", file: "scenarios/semaphore.go",
		desc:  "NewChanSemaphore makes n+1 permits",
		edits: one("make(ChanSemaphore, n)", "make(ChanSemaphore, n+1)")},
	{id: "gauge-leave-late", file: "scenarios/semaphore.go",
		desc:  "UseLimited releases before Leave (the gauge over-counts)",
		edits: one("\t\t\tg.Leave()\n\t\t\tsem.Release()\n\t\t\tif err == nil {", "\t\t\tsem.Release()\n\t\t\tg.Leave()\n\t\t\tif err == nil {")},

	// kernel.go
	{id: "split-off-by-one", file: "scenarios/kernel.go",
		desc:  "Split gives one part too many an extra element",
		edits: one("\t\tif p < n%parts {", "\t\tif p <= n%parts {")},

	// poolmap.go
	{id: "poolmap-completion-order", file: "scenarios/poolmap.go",
		desc: "PoolMap writes results in completion order",
		edits: []edit{
			{"\tvar next atomic.Int64 // the next chunk to hand out\n", "\tvar next atomic.Int64 // the next chunk to hand out\n\tvar pos atomic.Int64\n"},
			{"\t\t\t\t\tout[i] = f(in[i])\n", "\t\t\t\t\tv := f(in[i])\n\t\t\t\t\tout[pos.Add(1)-1] = v\n"},
		}},
	{id: "poolmap-no-recover", file: "scenarios/poolmap.go",
		desc:  "PoolMap does not recover a panic in f",
		edits: one("if v := recover(); v != nil {", "if v := any(nil); v != nil {")},
	{id: "poolmap-no-ctx-check", file: "scenarios/poolmap.go",
		desc:  "PoolMap workers never check for cancellation",
		edits: one("\t\t\t\tselect {\n\t\t\t\tcase <-done:\n\t\t\t\t\treturn\n\t\t\t\tdefault:\n\t\t\t\t}\n", "\t\t\t\t_ = done\n")},
	{id: "poolmap-chunk-short", file: "scenarios/poolmap.go",
		desc:  "PoolMap chunks end one index early",
		edits: one("\t\t\t\thi := min(lo+chunk, n)", "\t\t\t\thi := min(lo+chunk-1, n)")},

	// gather.go
	{id: "gather-completion-order", file: "scenarios/gather.go",
		desc: "Gather writes results in completion order",
		edits: []edit{
			{"\tstarted := 0\n", "\tstarted := 0\n\tpos := make(chan int, len(tasks))\n\tfor k := range len(tasks) {\n\t\tpos <- k\n\t}\n"},
			{"\t\t\tresults[i] = v\n", "\t\t\tresults[<-pos] = v\n"},
			{"\tfor i, task := range tasks {\n", "\tfor _, task := range tasks {\n"},
		}},
	{id: "gather-parent-ctx", file: "scenarios/gather.go",
		desc:  "Gather's tasks get the parent ctx: an error cancels nothing",
		edits: one("\t\t\tv, err := task(gctx)\n", "\t\t\tv, err := task(ctx)\n")},
	{id: "gather-no-limit", file: "scenarios/gather.go",
		desc:  "Gather ignores its limit",
		edits: one("\t\tg.SetLimit(limit)\n", "")},

	// taskexecutor.go (its locks, Signals, Broadcast, Wait and its for
	// around Wait are the AST rules')
	{id: "executor-no-recover", file: "scenarios/taskexecutor.go",
		desc:  "a task's panic (Submit or MapTasks) is not recovered",
		edits: one("\t\t\tif r := recover(); r != nil {\n", "\t\t\tif r := any(nil); r != nil {\n")},
	{id: "executor-no-drop", file: "scenarios/taskexecutor.go",
		desc:  "a Shutdown that gives up leaves the queued tasks to run",
		edits: one("\t\tqueued := e.queue[e.head:]\n\t\te.queue, e.head = nil, 0\n", "\t\tvar queued []runner\n")},

	// download.go
	{id: "download-no-errgroup-ctx", file: "scenarios/download.go",
		desc:  "Download's plain errgroup: a failed fetch cancels nothing",
		edits: one("\tfiles := make([][]byte, n)\n\tg, ctx := errgroup.WithContext(ctx)\n", "\tfiles := make([][]byte, n)\n\tg := new(errgroup.Group)\n")},

	// mistakes.go
	{id: "leak-unbuffered", file: "scenarios/mistakes.go",
		desc:  "firstAnswer's channel unbuffered: the losers block sending",
		edits: one("answers := make(chan answer, workers)", "answers := make(chan answer)")},

	// cpubound.go
	{id: "cpubound-no-ctx-check", file: "scenarios/cpubound.go",
		desc:  "squareNumbersCtx never checks ctx",
		edits: one("\t\tif err := ctx.Err(); err != nil {\n\t\t\treturn 0, err\n\t\t}\n\t\tend := min(lo+cpuBlock, hi)", "\t\tend := min(lo+cpuBlock, hi)")},

	// subprocesspool.go
	{id: "procpool-ignore-exit", file: "scenarios/subprocesspool.go",
		desc:  "Close ignores a worker's exit error",
		edits: one("\t\tif err != nil && p.ctx.Err() == nil {\n\t\t\terrs = append(errs", "\t\tif false && err != nil && p.ctx.Err() == nil {\n\t\t\terrs = append(errs")},
	{id: "procpool-no-return-worker", file: "scenarios/subprocesspool.go",
		desc:  "SquareNumbers never returns its worker to the free list",
		edits: one("\tdefer func() { p.free <- w }()\n", "")},
	{id: "procpool-no-kill-on-cancel", file: "scenarios/subprocesspool.go",
		desc:  "a cancelled call does not kill its worker",
		edits: one("killed := context.AfterFunc(ctx, func() { w.cmd.Process.Kill() })", "killed := context.AfterFunc(ctx, func() {})")},
}
