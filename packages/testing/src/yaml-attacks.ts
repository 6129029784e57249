/** YAML texts that a loader's guard must refuse: what a hostile or broken document can hold. */

/**
 * An alias bomb: anchors that each repeat the one before twice, `levels` deep (2^levels values in a
 * few hundred bytes). `head` is put first (e.g. `apiVersion: v1\n`), and the bomb is a map entry
 * after it.
 */
export function yamlAliasBomb(head = "", levels = 40): string {
  let text = `${head}x0: &a0 [lol, lol]\n`;
  for (let i = 1; i <= levels; i++) text += `x${i}: &a${i} [*a${i - 1}, *a${i - 1}]\n`;
  return text;
}

/**
 * A document that expands to more than a million values with few aliases (below the YAML
 * library's own alias budget): a list of 20,000 items repeated 60 times.
 */
export function yamlOversize(head = ""): string {
  const items = Array.from({ length: 20_000 }, (_, i) => `i${i}`).join(", ");
  return `${head}list: &list [${items}]\ncopies: [${Array.from({ length: 60 }, () => "*list").join(", ")}]\n`;
}
