/**
 * The stage mechanism every prove-model stage goes through: a reusable result is recorded as cached with no cost;
 * a run records the measured seconds and peak memory it reports (or its wall time in this process); the display
 * hears start, the stage's own news, and finish with the summary. The terminal display draws a line per stage.
 */
import { expect } from "chai";
import { Writable } from "stream";
import { lineProgress, ProgressDisplay, StageRunner } from "../src/pipeline/stage";
import { terminalProgress } from "../src/report/progress";

function recorder(): { display: ProgressDisplay; events: string[] } {
  const events: string[] = [];
  return {
    events,
    display: {
      start: (s, t) => events.push(`start ${s} ${t}`),
      update: (s, m) => events.push(`update ${s} ${m}`),
      finish: (s, m, c) => events.push(`finish ${s} ${c ? "cached" : "ran"} ${m}`),
      note: (l) => events.push(`note ${l}`),
      stop: () => events.push("stop"),
    },
  };
}

describe("stage runner: one cache / run / measure / report mechanism", () => {
  it("a reusable result is cached at no cost and never run", async () => {
    const { display, events } = recorder();
    const r = new StageRunner(display);
    let ran = false;
    const v = await r.run({ stage: "setup", title: "t", reuse: () => 42, run: async () => ((ran = true), { result: 0 }), summary: (x) => `value ${x}` });
    expect([v, ran]).to.deep.equal([42, false]);
    expect(r.reports).to.deep.equal([{ stage: "setup", seconds: 0, peakMB: null, cached: true }]);
    expect(events).to.deep.equal(["finish setup cached value 42"]);
  });

  it("a child's measures are recorded as reported; news reaches the display in order", async () => {
    const { display, events } = recorder();
    const r = new StageRunner(display);
    const v = await r.run({
      stage: "prove",
      title: "groth16",
      run: async (progress) => {
        progress("50%");
        return { result: "proof", seconds: 1.5, peakMB: 230 };
      },
      summary: (p) => p,
    });
    expect(v).to.equal("proof");
    expect(r.reports).to.deep.equal([{ stage: "prove", seconds: 1.5, peakMB: 230, cached: false }]);
    expect(events).to.deep.equal(["start prove groth16", "update prove 50%", "finish prove ran proof (1.50 s, 230 MB)"]);
  });

  it("a stage in this process is timed here, with no peak of its own; a run that finds its output in place says cached", async () => {
    const r = new StageRunner(lineProgress(() => undefined));
    await r.run({ stage: "render", title: "t", run: async () => (await new Promise((res) => setTimeout(res, 30)), { result: 1, cached: true }) });
    expect(r.reports[0]).to.include({ stage: "render", peakMB: null, cached: true });
    expect(r.reports[0].seconds).to.be.within(0.02, 5);
  });

  it("plain lines name the stage", () => {
    const lines: string[] = [];
    const d = lineProgress((l) => lines.push(l));
    d.start("compile", "circom2");
    d.finish("compile", "10 constraints", true);
    expect(lines).to.deep.equal(["compile: circom2", "compile: cached, 10 constraints"]);
  });

  it("the terminal display draws a line per stage with its percent, memory and summary", async () => {
    let out = "";
    const tty = Object.assign(new Writable({ write: (c, _e, cb) => ((out += c.toString()), cb()) }), { isTTY: true, columns: 140, rows: 40, cursorTo: () => true, moveCursor: () => true, clearLine: () => true, clearScreenDown: () => true }) as unknown as NodeJS.WriteStream;
    const d = terminalProgress(tty);
    d.start("ptau", "generating");
    d.update("ptau", "tauG1: 40% of 4,096 points");
    d.update("ptau", "3 s, 412 MB");
    await new Promise((res) => setTimeout(res, 400));
    d.finish("ptau", "2^12 (1.20 s, 412 MB)", false);
    d.finish("setup", "contributions: one", true);
    d.stop();
    const plain = out.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
    expect(plain).to.contain("40%").and.to.contain("412 MB").and.to.contain("2^12 (1.20 s, 412 MB)").and.to.contain("cached");
    expect(plain).to.match(/ptau\s/).and.to.match(/setup\s/);
  });
});
