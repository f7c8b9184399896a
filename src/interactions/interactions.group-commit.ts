interface Waiting<T, R> {
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export interface GroupCommitOptions<T> {
  /** Requests that may share a transaction (one tenant's: its locks and audit chain are shared). */
  keyOf(item: T): string;
  /** How much of the group's budget an item takes (interactions in it). */
  weightOf(item: T): number;
  /** A group stops growing past this weight, so one transaction stays short. */
  maxWeight: number;
}

/**
 * Group commit: requests that arrive while a transaction of their key is running wait and then
 * share the next one, so sixteen concurrent single-interaction requests cost a few commits (an
 * fsync each) instead of sixteen. Every request is answered only after the transaction holding
 * its data committed (acknowledged means committed). If a shared transaction fails, each of its
 * requests is run again alone, so one bad request never fails the others.
 */
export function createGroupCommit<T, R>(
  run: (group: readonly T[]) => Promise<R[]>,
  options: GroupCommitOptions<T>,
) {
  const queues = new Map<string, Waiting<T, R>[]>();

  function takeGroup(queue: Waiting<T, R>[]): Waiting<T, R>[] {
    let weight = 0;
    let n = 0;
    while (n < queue.length && (n === 0 || weight + options.weightOf(queue[n]!.item) <= options.maxWeight)) {
      weight += options.weightOf(queue[n]!.item);
      n++;
    }
    return queue.splice(0, n);
  }

  async function runAlone(waiting: Waiting<T, R>) {
    try {
      waiting.resolve((await run([waiting.item]))[0]!);
    } catch (error) {
      waiting.reject(error);
    }
  }

  async function drain(key: string, queue: Waiting<T, R>[]) {
    while (queue.length > 0) {
      // Let the event loop take in requests that arrived meanwhile: an embedded SQLite transaction
      // never yields to it (every await resolves at once), so without this no group would form.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const group = takeGroup(queue);
      if (group.length === 1) {
        await runAlone(group[0]!);
        continue;
      }
      let results: R[] | undefined;
      try {
        results = await run(group.map((w) => w.item));
      } catch {
        for (const waiting of group) await runAlone(waiting);
        continue;
      }
      for (const [i, waiting] of group.entries()) waiting.resolve(results[i]!);
    }
    queues.delete(key);
  }

  return {
    /** Runs the item in the next transaction of its key; resolves after that transaction committed. */
    submit(item: T): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        const key = options.keyOf(item);
        const queue = queues.get(key);
        if (queue) {
          queue.push({ item, resolve, reject });
          return;
        }
        const fresh: Waiting<T, R>[] = [{ item, resolve, reject }];
        queues.set(key, fresh);
        void drain(key, fresh);
      });
    },
  };
}
