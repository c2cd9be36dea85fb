import './review-ops-dialog.css';
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import { t } from '../i18n.js';

/**
 * A modal confirmation (the native <dialog>: focus moves into it, Escape cancels, the page
 * behind is inert). The confirm button is disabled while the action runs, so a second click
 * never sends twice.
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  busyLabel?: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  danger?: boolean;
  /** Called once the dialog has closed (the browser has put focus back): move focus to the outcome. */
  afterClose?: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) {
      dialog.close();
      props.afterClose?.();
    }
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      class="eo-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        if (!props.busy) props.onCancel();
      }}
    >
      <h2 id={titleId} class="eo-dialog-title">
        {props.title}
      </h2>
      {props.children}
      <div class="actions">
        <button
          type="button"
          class={props.danger ? 'danger' : 'primary'}
          disabled={props.busy}
          aria-busy={props.busy}
          onClick={() => props.onConfirm()}
        >
          {props.busy ? (props.busyLabel ?? t('处理中…', 'Working…')) : props.confirmLabel}
        </button>
        <button type="button" disabled={props.busy} onClick={() => props.onCancel()}>
          {t('取消', 'Cancel')}
        </button>
      </div>
    </dialog>
  );
}
