import type { ComponentChildren } from 'preact';

/** A message where the user is looking: an error (what happened, what to do) or a notice. */
export function Notice(props: {
  kind: 'error' | 'info' | 'warning';
  message: string;
  detail?: string;
  children?: ComponentChildren;
  onDismiss?: () => void;
  dismissLabel?: string;
}) {
  return (
    <div class={`notice notice-${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      <p class="notice-message">{props.message}</p>
      {props.detail && <p class="notice-detail">{props.detail}</p>}
      {(props.children || props.onDismiss) && (
        <div class="notice-actions">
          {props.children}
          {props.onDismiss && (
            <button type="button" class="link" onClick={props.onDismiss}>
              {props.dismissLabel}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
