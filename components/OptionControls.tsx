/** Controls that the settings pages (Options, the popup) build their rows from. */

/** A setting's on/off switch in a row, with what it means beneath (when the page shows hints). */
export function CheckOption(props: { setting: string; checked: boolean; label: string; hint?: string | false; onChange: (checked: boolean) => void }) {
  return (
    <label class="row">
      <span class="label">
        <span>
          <input type="checkbox" data-setting={props.setting} checked={props.checked} onChange={(e) => props.onChange(e.currentTarget.checked)} /> {props.label}
        </span>
        {props.hint && <span class="hint">{props.hint}</span>}
      </span>
    </label>
  );
}

/** One of a setting's few values, each shown by its label. */
export function ChoiceSelect<T extends string>(props: { setting: string; label: string; value: T; choices: readonly T[]; labelOf: (choice: T) => string; onChange: (choice: T) => void }) {
  return (
    <select aria-label={props.label} data-setting={props.setting} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value as T)}>
      {props.choices.map((choice) => (
        <option key={choice} value={choice}>
          {props.labelOf(choice)}
        </option>
      ))}
    </select>
  );
}
