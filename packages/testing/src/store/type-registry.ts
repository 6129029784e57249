/** The served resource types, indexed by group/version/resource and by apiVersion/kind. */
import type { ResourceType } from "../api/seams.js";
import { apiVersionOf } from "./builtin-types.js";

const gvr = (group: string, version: string, resource: string) => `${group}/${version}/${resource}`;

/** Registered types; registering the same group/version/resource again replaces it. */
export class TypeRegistry {
  private readonly byGvr = new Map<string, ResourceType>();
  private readonly byKind = new Map<string, ResourceType>();

  register(type: ResourceType): void {
    const copy = { ...type, subresources: [...type.subresources] };
    this.byGvr.set(gvr(type.group, type.version, type.resource), copy);
    this.byKind.set(`${apiVersionOf(type)}/${type.kind}`, copy);
  }

  unregister(type: ResourceType): void {
    const key = gvr(type.group, type.version, type.resource);
    const existing = this.byGvr.get(key);
    this.byGvr.delete(key);
    const kindKey = `${apiVersionOf(type)}/${type.kind}`;
    if (existing && this.byKind.get(kindKey) === existing) this.byKind.delete(kindKey);
  }

  typeFor(group: string, version: string, resource: string): ResourceType | undefined {
    return this.byGvr.get(gvr(group, version, resource));
  }

  typeForKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.byKind.get(`${apiVersion}/${kind}`);
  }

  types(): ResourceType[] {
    return [...this.byGvr.values()].map((t) => ({ ...t, subresources: [...t.subresources] }));
  }
}
