/**
 * Resources a run keeps open across steps (a plugin's connection pools), closed when the run
 * ends, errors or is unsubscribed (Ctrl-C). `runSuite` makes one per run and passes it to every
 * step in `PluginContext.resources`; a plugin takes what it needs by key.
 *
 * const pool = context.resources.acquire(`sql ${dsn}`, () => openPool(dsn), (p) => p.close());
 */
export interface RunResources {
  /**
   * The resource under `key`, opened by `open` the first time it is asked for; `close` is called
   * once when the run ends. After {@link RunResources.closeAll}, a new one is opened again (and
   * closed by the next `closeAll`).
   */
  acquire<R>(key: string, open: () => R, close: (resource: R) => Promise<void> | void): R;
  /** Closes every resource opened so far (each once; failures are ignored) and forgets them. */
  closeAll(): Promise<void>;
  /** How many resources are open. */
  readonly size: number;
}

/** A fresh {@link RunResources}. */
export function createRunResources(): RunResources {
  const held = new Map<string, { readonly resource: unknown; readonly close: (resource: unknown) => Promise<void> | void }>();
  return {
    acquire: <R>(key: string, open: () => R, close: (resource: R) => Promise<void> | void): R => {
      const known = held.get(key);
      if (known !== undefined) return known.resource as R;
      const resource = open();
      held.set(key, { resource, close: close as (resource: unknown) => Promise<void> | void });
      return resource;
    },
    closeAll: async () => {
      const all = [...held.values()];
      held.clear();
      await Promise.all(
        all.map(async ({ resource, close }) => {
          try {
            await close(resource);
          } catch {
            // A resource that fails to close is gone all the same: the run's result stands.
          }
        }),
      );
    },
    get size() {
      return held.size;
    },
  };
}
