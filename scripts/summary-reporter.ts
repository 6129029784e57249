/**
 * Prints one plain closing line, "tests: N passed, N failed, N skipped", after the default report,
 * and one line before it when the compatibility corpus was absent and its suites were skipped, or
 * when restic (or the mount namespaces its suites need) was not there.
 */
import type { Reporter, TestModule } from "vitest/node";
import { CORPUS_TAG, corpusDir, hasCorpus } from "../packages/testing/src/corpus.js";
import { RESTIC_TAG, resticTestsUnavailable } from "../packages/testing/src/restic-tests.js";

export default class SummaryReporter implements Reporter {
  async onTestRunEnd(testModules: ReadonlyArray<TestModule>): Promise<void> {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    let corpusSkipped = 0;
    let resticSkipped = 0;
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else {
          skipped++;
          if (test.tags.includes(CORPUS_TAG)) corpusSkipped++;
          if (test.tags.includes(RESTIC_TAG)) resticSkipped++;
        }
      }
      // A file that failed outside its tests (an import error, an empty suite) counts once.
      if (
        mod.state() === "failed" &&
        ![...mod.children.allTests()].some((t) => t.result().state === "failed")
      )
        failed++;
    }
    if (!hasCorpus()) {
      process.stdout.write(
        `\ncompatibility corpus not found at ${corpusDir()}, ${corpusSkipped} tests skipped (set QUIESCE_CORPUS to point at it)\n`,
      );
    }
    const resticReason = await resticTestsUnavailable();
    if (resticReason !== undefined) {
      process.stdout.write(`\nrestic tests skipped (${resticSkipped}): ${resticReason}\n`);
    }
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
