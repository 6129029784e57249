/** Watch fan-out for the object store: a bounded history ring, ordered delivery, and 410 on expired versions. */
import { ApiStatusError } from "../api/errors.js";
import type { StoredObject, WatchEvent } from "../api/seams.js";

/** One recorded change. */
export interface HubEvent {
  rv: number;
  /** Storage key: `group/resource`. */
  key: string;
  namespace: string | undefined;
  event: WatchEvent;
}

interface Subscriber {
  key: string;
  namespace: string | undefined;
  listener: (event: WatchEvent) => void;
  /** Highest resourceVersion delivered, so replay and queued delivery never duplicate. */
  lastRv: number;
  active: boolean;
}

/**
 * Keeps the last `capacity` events and delivers new ones in order. Delivery is queued: a listener
 * that mutates the store (a controller) sees its own change after the current event has reached
 * every subscriber, so all subscribers observe one global order.
 */
export class WatchHub {
  private readonly ring: (HubEvent | undefined)[];
  private start = 0;
  private size = 0;
  /** Every event with rv > floor is retained. */
  private floor = 0;
  private readonly subscribers = new Set<Subscriber>();
  private readonly queue: HubEvent[] = [];
  private draining = false;

  constructor(private readonly capacity: number) {
    this.ring = new Array(capacity);
  }

  /** Records an event and delivers it to subscribers. */
  publish(event: HubEvent): void {
    if (this.size === this.capacity) {
      const dropped = this.ring[this.start]!;
      this.floor = Math.max(this.floor, dropped.rv);
      this.ring[this.start] = undefined;
      this.start = (this.start + 1) % this.capacity;
      this.size--;
    }
    this.ring[(this.start + this.size) % this.capacity] = event;
    this.size++;
    this.queue.push(event);
    this.drain();
  }

  /** Forgets the history: any watch from a version ≤ `currentRv` (even the latest) now gets 410 Gone. */
  expire(currentRv: number): void {
    this.ring.fill(undefined);
    this.start = 0;
    this.size = 0;
    this.floor = currentRv + 1;
  }

  /**
   * Subscribes after `fromRv`, replaying retained history first. `initial` (objects to announce
   * as ADDED before anything else) is used for watches without a resourceVersion.
   */
  subscribe(
    key: string,
    namespace: string | undefined,
    fromRv: number,
    currentRv: number,
    initial: StoredObject[] | undefined,
    listener: (event: WatchEvent) => void,
  ): () => void {
    if (initial === undefined && fromRv < this.floor)
      throw ApiStatusError.expired(`too old resource version: ${fromRv} (${this.floor + 1})`);
    const sub: Subscriber = { key, namespace, listener, lastRv: fromRv, active: true };
    if (initial !== undefined) {
      for (const object of initial) listener({ type: "ADDED", object });
      sub.lastRv = currentRv;
    } else {
      for (let i = 0; i < this.size; i++) {
        const e = this.ring[(this.start + i) % this.capacity]!;
        if (e.rv > fromRv && this.matches(sub, e)) {
          sub.lastRv = e.rv;
          listener(e.event);
        }
      }
      sub.lastRv = Math.max(sub.lastRv, currentRv);
    }
    this.subscribers.add(sub);
    return () => {
      sub.active = false;
      this.subscribers.delete(sub);
    };
  }

  private matches(sub: Subscriber, e: HubEvent): boolean {
    return sub.key === e.key && (sub.namespace === undefined || sub.namespace === e.namespace);
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let e = this.queue.shift(); e !== undefined; e = this.queue.shift()) {
        for (const sub of [...this.subscribers]) {
          if (!sub.active || e.rv <= sub.lastRv || !this.matches(sub, e)) continue;
          sub.lastRv = e.rv;
          try {
            sub.listener(e.event);
          } catch {
            // A failing subscriber must not starve the others; it sees later events regardless.
          }
        }
      }
    } finally {
      this.draining = false;
    }
  }
}
