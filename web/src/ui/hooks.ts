import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => Promise<void>;
  /** Shows a value an action answered with, as a load would have (a load under way is dropped). */
  show: (value: T) => void;
}

/** Loads data when the inputs change; `reload` fetches again after an action. */
export function useResource<T>(
  load: (signal: AbortSignal) => Promise<T>,
  inputs: readonly unknown[],
): Resource<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const loadRef = useRef(load);
  loadRef.current = load;
  const controller = useRef<AbortController | undefined>(undefined);

  const reload = useCallback(async () => {
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    setLoading(true);
    try {
      const value = await loadRef.current(current.signal);
      if (current.signal.aborted) return;
      setData(value);
      setError(undefined);
    } catch (caught) {
      if (current.signal.aborted) return;
      setError(caught);
    } finally {
      if (!current.signal.aborted) setLoading(false);
    }
  }, []);

  const show = useCallback((value: T) => {
    controller.current?.abort();
    setData(value);
    setError(undefined);
    setLoading(false);
  }, []);

  useEffect(() => {
    void reload();
    return () => controller.current?.abort();
  }, inputs);

  return { data, error, loading, reload, show };
}

/** Runs an action once at a time (a double click does not send twice) and keeps its error. */
export function useAction<A extends unknown[], R>(
  action: (...args: A) => Promise<R>,
): { run: (...args: A) => Promise<R | undefined>; busy: boolean; error: unknown; clear: () => void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const running = useRef(false);
  const run = async (...args: A): Promise<R | undefined> => {
    if (running.current) return undefined;
    running.current = true;
    setBusy(true);
    setError(undefined);
    try {
      return await action(...args);
    } catch (caught) {
      setError(caught);
      return undefined;
    } finally {
      running.current = false;
      setBusy(false);
    }
  };
  return { run, busy, error, clear: () => setError(undefined) };
}

/**
 * A ref whose element is scrolled into view each time `shown` turns to a new truthy value: a
 * refusal drawn far from the button pressed (above the form, under a sticky bar) is brought to
 * the reader, who would otherwise see nothing happen.
 */
export function useShownInView<E extends HTMLElement>(shown: unknown) {
  const ref = useRef<E>(null);
  useEffect(() => {
    if (shown) ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [shown]);
  return ref;
}
