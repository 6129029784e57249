/** The demo: prints the phases of a real Kanister Blueprint from the compatibility corpus. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "yaml";

const path = resolve(import.meta.dirname, "../../../../shared/corpus/kanister/mysql-mysql-blueprint.yaml");
const blueprint = parse(readFileSync(path, "utf8")) as {
  actions: Record<string, { phases?: { name: string; func: string }[] }>;
};
for (const [name, action] of Object.entries(blueprint.actions)) {
  process.stdout.write(`${name}: ${(action.phases ?? []).map((p) => `${p.name}(${p.func})`).join(" → ")}\n`);
}
