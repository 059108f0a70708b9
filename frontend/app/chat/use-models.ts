import { useCallback, useEffect, useRef, useState } from "react";
import { ChatError, fetchModels } from "./api";
import { loadModel, saveModel } from "./storage";

export type ModelsState =
  /** `error` is kept while retrying, so the failure stays on screen until the retry succeeds. */
  | { status: "loading"; models: string[]; error?: ChatError }
  | { status: "ready"; models: string[]; error?: undefined }
  | { status: "error"; models: string[]; error: ChatError };

/** The model list from /api/models plus the person's choice, remembered across visits. */
export function useModels() {
  const [state, setState] = useState<ModelsState>({ status: "loading", models: [] });
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const controller = useRef<AbortController | null>(null);

  const reload = useCallback(async () => {
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    setState((s) => ({
      status: "loading",
      models: s.models,
      ...(s.status === "ready" ? {} : { error: s.error }),
    }));
    try {
      const list = await fetchModels(current.signal);
      const remembered = loadModel();
      setSelected(
        remembered && list.models.includes(remembered) ? remembered : list.default || list.models[0],
      );
      setState({ status: "ready", models: list.models });
    } catch (err) {
      if (current.signal.aborted) return;
      const error = err instanceof ChatError ? err : new ChatError("network", String(err));
      setState((s) => ({ status: "error", models: s.models, error }));
    }
  }, []);

  useEffect(() => {
    void reload();
    return () => controller.current?.abort();
  }, [reload]);

  const choose = useCallback((model: string) => {
    setSelected(model);
    saveModel(model);
  }, []);

  /** Hides the failure; the picker falls back to the backend's default model. */
  const dismissError = useCallback(() => {
    setState((s) => (s.error ? { status: "ready", models: s.models } : s));
  }, []);

  return { state, selected, choose, reload, dismissError };
}
