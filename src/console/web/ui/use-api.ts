import { useCallback, useEffect, useState } from 'preact/hooks';
import { apiGet } from '../api';

export interface ApiResource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Reads it again (after a change, or from a poll). */
  reload: () => Promise<void>;
}

/** A GET that a page shows: read on mount and whenever `path` changes; null `path` reads nothing. */
export function useApiGet<T>(path: string | null): ApiResource<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(path !== null);
  const reload = useCallback(async () => {
    if (path === null) return;
    setLoading(true);
    try {
      setData(await apiGet<T>(path));
      setError(undefined);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }, [path]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, loading, reload };
}
