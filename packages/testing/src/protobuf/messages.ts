/** The Kubernetes message descriptions, parsed once: used to decode protobuf bodies and to serve OpenAPI schemas. */
import { K8S_MESSAGES } from "./k8s-messages.js";

/** One field of a message, as {@link K8S_MESSAGES} describes it. */
export interface Field {
  name: string;
  type: string;
  repeated: boolean;
  map: boolean;
  /** The zero value goes into the JSON too (a pointer or a field without omitempty in Go). */
  keepZero: boolean;
  /** A message embedded inline in Go: its fields are the parent's in JSON. */
  inline: boolean;
}

/** Messages by name; each a map from field number to field. */
export type MessageTable = Map<string, Map<number, Field>>;

let table: MessageTable | undefined;

/** The messages of {@link K8S_MESSAGES}, by name: field number → field. */
export function messageTable(): MessageTable {
  if (table) return table;
  const out: MessageTable = new Map();
  let current: Map<number, Field> | undefined;
  for (const line of K8S_MESSAGES.split("\n")) {
    if (line.trim() === "") continue;
    const tokens = line.trim().split(" ");
    if (!line.startsWith(" ")) {
      current = new Map();
      out.set(tokens.shift() as string, current);
    }
    for (const token of tokens) {
      const [num, name, marked] = token.split(":") as [string, string, string];
      const keepZero = marked.endsWith("!");
      const inline = marked.endsWith("^");
      const raw = keepZero || inline ? marked.slice(0, -1) : marked;
      const repeated = raw.endsWith("[]");
      const map = raw.startsWith("{");
      const type = repeated ? raw.slice(0, -2) : map ? raw.slice(1, -1) : raw;
      current?.set(Number(num), { name, type, repeated, map, keepZero, inline });
    }
  }
  table = out;
  return out;
}
