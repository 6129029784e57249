import { defineConfig } from "vitest/config";
import { CORPUS_TAG, hasCorpus } from "./packages/testing/src/corpus.js";
import { RESTIC_TAG, resticTestsUnavailable } from "./packages/testing/src/restic-tests.js";

// Installs restic first when it is missing and this runs as root (CI).
const resticUnavailable = await resticTestsUnavailable();

export default defineConfig({
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "examples/*/src/**/*.test.ts", "e2e/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Suites reading the compatibility corpus (outside the repository) run only where it is present;
    // the summary reporter says in one line when they were skipped. A tag that skips takes
    // precedence (priority 1) over one that does not, so a suite with both tags is skipped when
    // either says so.
    tags: [
      {
        name: CORPUS_TAG,
        description: "reads the compatibility corpus ($QUIESCE_CORPUS or ../shared/corpus)",
        skip: !hasCorpus(),
        priority: hasCorpus() ? 2 : 1,
      },
      {
        name: RESTIC_TAG,
        description:
          "runs restic in isolated process-runtime containers (restic from Debian, mount namespaces)",
        skip: resticUnavailable !== undefined,
        priority: resticUnavailable !== undefined ? 1 : 2,
      },
    ],
    reporters: ["default", "./scripts/summary-reporter.ts"],
  },
});
