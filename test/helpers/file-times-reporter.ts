// Mocha's spec reporter, and at the end the test files that took longest (hooks included), so CI time is visible
// per file: `.ci/run` must stay well under 30 minutes on a 2-core machine, and this says where its time goes.
import Mocha from "mocha";
import path from "path";

const SHOWN = 15;

class FileTimesReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    // the time from one event to the next is charged to the file of the first: files run one after another, and
    // their hooks (where the heavy set-up is) carry their file too
    const perFile = new Map<string, number>();
    let current: string | undefined;
    let mark = Date.now();
    const charge = (next: string | undefined) => {
      const now = Date.now();
      if (current) perFile.set(current, (perFile.get(current) ?? 0) + (now - mark));
      current = next;
      mark = now;
    };
    const onRunnable = (r: { file?: string }) => {
      if (r.file) charge(path.relative(process.cwd(), r.file));
    };
    runner.on(Mocha.Runner.constants.EVENT_SUITE_BEGIN, onRunnable);
    runner.on(Mocha.Runner.constants.EVENT_HOOK_BEGIN, onRunnable);
    runner.on(Mocha.Runner.constants.EVENT_TEST_BEGIN, onRunnable);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      charge(undefined);
      const rows = [...perFile].sort((a, b) => b[1] - a[1]);
      const total = rows.reduce((s, [, ms]) => s + ms, 0);
      console.log(`\n  slowest test files (${rows.length} files, ${(total / 1000).toFixed(0)} s in all):`);
      for (const [file, ms] of rows.slice(0, SHOWN)) {
        console.log(`    ${(ms / 1000).toFixed(1).padStart(7)} s  ${file}`);
      }
    });
  }
}

export = FileTimesReporter;
