/** Secret data read during an action is registered for redaction, and released when the action ends. */
import { registerSecret } from "@quiesce/core";

/** Collects redaction registrations so they can all be undone at once. */
export class SecretScope {
  readonly #undo: Array<() => void> = [];

  /** Registers a secret value (and its trimmed form) for redaction. */
  add(value: string): void {
    this.#undo.push(registerSecret(value));
    const trimmed = value.trim();
    if (trimmed !== value) this.#undo.push(registerSecret(trimmed));
  }

  /** Undoes every registration. */
  dispose(): void {
    for (const undo of this.#undo.splice(0)) undo();
  }
}
