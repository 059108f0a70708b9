import type { ModelsState } from "../chat/use-models";

interface Props {
  state: ModelsState;
  selected: string | undefined;
  onChange: (model: string) => void;
  disabled: boolean;
}

export function ModelPicker({ state, selected, onChange, disabled }: Props) {
  const placeholder =
    state.status === "loading" ? "Loading models…" : state.models.length === 0 ? "Default model" : undefined;
  return (
    <div className="model-picker">
      <label htmlFor="model-select">Model</label>
      <select
        id="model-select"
        value={placeholder ? "" : (selected ?? "")}
        onChange={(event) => onChange(event.target.value)}
        disabled={disabled || placeholder !== undefined}
      >
        {placeholder ? (
          <option value="">{placeholder}</option>
        ) : (
          state.models.map((model) => (
            <option key={model} value={model}>
              {model}
            </option>
          ))
        )}
      </select>
    </div>
  );
}
