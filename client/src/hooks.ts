import { useEffect, useRef, useState } from 'preact/hooks';

export function useMedia(query: string): boolean {
  const [match, setMatch] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const mq = window.matchMedia(query);
    const fn = () => setMatch(mq.matches);
    fn();
    mq.addEventListener('change', fn);
    return () => mq.removeEventListener('change', fn);
  }, [query]);
  return match;
}

/** Re-renders every `ms` milliseconds (for clocks and "time left"). */
export function useTick(ms: number): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    const id = setInterval(() => setN((x) => x + 1), ms);
    return () => clearInterval(id);
  }, [ms]);
  return n;
}

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload: () => void;
  /** Replaces the data in place (e.g. from a live event) until the next load. */
  set: (fn: (data: T | null) => T | null) => void;
}

/** Runs an async loader when deps change; drops answers that arrive out of order. */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: unknown; loading: boolean }>({ data: null, error: null, loading: true });
  const gen = useRef(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const run = () => {
    const my = ++gen.current;
    setState((s) => ({ ...s, loading: true }));
    fnRef.current().then(
      (data) => my === gen.current && setState({ data, error: null, loading: false }),
      (error) => my === gen.current && setState((s) => ({ data: s.data, error, loading: false })),
    );
  };
  useEffect(run, deps);
  const set = (fn: (data: T | null) => T | null) => setState((s) => ({ ...s, data: fn(s.data) }));
  return { ...state, reload: run, set };
}

/** Width in CSS pixels of an element, kept up to date. */
export function useWidth<T extends HTMLElement>(fallback = 640): [(el: T | null) => void, number] {
  const [width, setWidth] = useState(fallback);
  const obs = useRef<ResizeObserver | null>(null);
  const ref = (el: T | null) => {
    obs.current?.disconnect();
    if (!el) return;
    obs.current = new ResizeObserver((entries) => {
      const w = Math.round(entries[0].contentRect.width);
      if (w > 0) setWidth(w);
    });
    obs.current.observe(el);
  };
  useEffect(() => () => obs.current?.disconnect(), []);
  return [ref, width];
}
