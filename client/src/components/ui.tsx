import type { ButtonHTMLAttributes, ComponentChildren } from "preact";
import { Fragment } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { has, t, tParts } from '../i18n';
import { Icon, type IconName } from '../icons';
import { dt, fmtDate, fmtMinutes, fmtWhen } from '../time';

/**
 * A translated sentence for the page, each substituted value (a name, a date) in a <bdi>, so
 * that its direction does not mix with the sentence's (a Latin name in Arabic, and back).
 */
export function tb(key: string, params: Record<string, ComponentChildren>): ComponentChildren {
  return tParts(key, params).map((p, i) =>
    p.param ? <bdi key={i}>{params[p.param]}</bdi> : <Fragment key={i}>{p.text}</Fragment>,
  );
}

/** Hours in words ("3 heures"): the short unit reads as a bare letter in Arabic ("4 س"). */
function hoursText(min: number): string {
  return fmtMinutes(Math.max(0, Math.round(min)), 'long');
}

/** Plain words for an error, by its extensions.code. */
export function errorText(err: unknown, context?: string): string {
  const code = err instanceof ApiError ? err.code : 'UNKNOWN';
  if (err instanceof ApiError && code === 'QUOTA_EXCEEDED') {
    // The server says how much the week allows and how much the collective already holds.
    const quota = Number(err.extensions.quotaMinutes);
    const booked = Number(err.extensions.bookedMinutes);
    const week = typeof err.extensions.weekStart === 'string' ? dt(err.extensions.weekStart) : null;
    if (Number.isFinite(quota) && Number.isFinite(booked)) {
      const left = Math.max(0, quota - booked);
      const params = { left: hoursText(left), quota: hoursText(quota), week: week ? fmtDate(week) : '' };
      return t(left > 0 ? 'error.quota.left' : 'error.quota.none', params);
    }
  }
  if (err instanceof ApiError && err.extensions.reason === 'TOO_MANY_ATTEMPTS') {
    // Not a wrong password: trying again now cannot work.
    return t('error.login.tooMany', { n: Number(err.extensions.retryAfterMinutes) || 15 });
  }
  if (context && has(`error.${context}.${code}`)) return t(`error.${context}.${code}`);
  if (has(`error.${code}`)) return t(`error.${code}`);
  return t('error.UNKNOWN');
}

/** `text` replaces the words errorText would give, when the page knows better what the code means here. */
export function ErrorBox({ error, context, text }: { error: unknown; context?: string; text?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const mounted = useRef(false);
  useEffect(() => {
    // Bring an answer to an action into view; an error shown as the page loads stays put
    // (scrolling then would jump the page, e.g. to a failed chart at the bottom).
    if (error && mounted.current) ref.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    mounted.current = true;
  }, [error]);
  if (!error) return <div ref={ref} data-testid="error" class="error-area" role="alert" aria-live="assertive" />;
  const conflicts = error instanceof ApiError && error.code === 'CONFLICT' ? error.conflicts : [];
  return (
    <div ref={ref} data-testid="error" data-code={error instanceof ApiError ? error.code : 'UNKNOWN'} class="error-area msg msg-error" role="alert" aria-live="assertive">
      <Icon name="alert" />
      <div>
        <p>{text ?? errorText(error, context)}</p>
        {conflicts.length > 0 && (
          <>
            <p>{t('book.conflictList')}</p>
            <ul class="conflict-list">
              {conflicts.map((c) => (
                <li key={c.startsAt} data-testid="conflict">
                  {fmtWhen(dt(c.startsAt), dt(c.endsAt))}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}

export function Msg({ kind = 'info', icon, children, testid }: { kind?: 'info' | 'ok' | 'warn'; icon?: IconName; children: ComponentChildren; testid?: string }) {
  return (
    <div class={`msg msg-${kind}`} role="status" data-testid={testid}>
      <Icon name={icon ?? (kind === 'ok' ? 'check' : kind === 'warn' ? 'alert' : 'info')} />
      <div>{children}</div>
    </div>
  );
}

export function Spinner({ label }: { label?: string }) {
  return (
    <div class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      <span>{label ?? t('common.loading')}</span>
    </div>
  );
}

type ButtonProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, "type" | "icon"> & {
  icon?: IconName;
  flipIcon?: boolean;
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost';
  type?: 'button' | 'submit';
  disabled?: boolean;
  /**
   * Takes the keyboard focus when it appears: the "keep" answer of a confirmation that replaces
   * the button just pressed, so that pressing Enter twice does not confirm.
   */
  focusOnMount?: boolean;
};

export function Button({ icon, flipIcon, variant = 'secondary', type = 'button', children, class: cls, focusOnMount, ...rest }: ButtonProps) {
  const ref = useRef<HTMLButtonElement>(null);
  // In the same commit as the button itself: a key pressed right after it appears already lands on it.
  useLayoutEffect(() => {
    if (focusOnMount) ref.current?.focus();
  }, []);
  return (
    <button ref={ref} type={type} class={`btn btn-${variant} ${cls ?? ''}`} {...rest}>
      {icon && <Icon name={icon} flip={flipIcon} />}
      {children != null && <span>{children}</span>}
    </button>
  );
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** A modal dialog: traps focus, closes on Escape, gives focus back when it closes. */
export function Dialog({
  title,
  onClose,
  children,
  testid,
}: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  testid?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  // In the same commit as the dialog: a key pressed as soon as it shows (typing the title right
  // after Enter on a slot) lands in it, not on the page behind.
  useLayoutEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const box = ref.current!;
    // On a touch screen a focused text field opens the keyboard over the dialog before it is
    // read: focus the dialog itself there (screen readers still start in it).
    const touch = window.matchMedia?.('(pointer: coarse)').matches ?? false;
    const first = touch ? null : (box.querySelector<HTMLElement>('[autofocus], input, select, textarea') ?? box.querySelector<HTMLElement>(FOCUSABLE));
    (first ?? box).focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        closeRef.current();
        return;
      }
      if (e.key !== 'Tab') return;
      const items = Array.from(box.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.offsetParent !== null);
      if (items.length === 0) {
        e.preventDefault();
        return;
      }
      const a = items[0];
      const z = items[items.length - 1];
      if (e.shiftKey && (document.activeElement === a || !box.contains(document.activeElement))) {
        e.preventDefault();
        z.focus();
      } else if (!e.shiftKey && (document.activeElement === z || !box.contains(document.activeElement))) {
        e.preventDefault();
        a.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    document.body.classList.add('modal-open');
    return () => {
      document.removeEventListener('keydown', onKey);
      document.body.classList.remove('modal-open');
      if (before && document.contains(before)) before.focus();
    };
  }, []);
  return (
    <div class="backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={ref} class="dialog" role="dialog" aria-modal="true" aria-labelledby="dialog-title" tabIndex={-1} data-testid={testid}>
        <div class="dialog-head">
          <h2 id="dialog-title">{title}</h2>
          <button type="button" class="btn btn-ghost icon-only" onClick={onClose} aria-label={t('common.close')} data-testid="dialog-close">
            <Icon name="close" />
          </button>
        </div>
        <div class="dialog-body">{children}</div>
      </div>
    </div>
  );
}

export function Field({ label, hint, children, id }: { label: string; hint?: string; children: ComponentChildren; id: string }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

export function PageTitle({ icon, children }: { icon: IconName; children: ComponentChildren }) {
  return (
    <h1 class="page-title">
      <Icon name={icon} size={28} />
      <span>{children}</span>
    </h1>
  );
}

/** Copies `text` to the clipboard (a receipt, a door secret). */
export function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      icon={copied ? 'check' : 'copy'}
      variant="ghost"
      onClick={() =>
        navigator.clipboard?.writeText(text).then(
          () => setCopied(true),
          () => undefined,
        )
      }
    >
      {copied ? t('common.copied') : t('common.copy')}
    </Button>
  );
}

/** A form field's own message (the app's words, not the browser's: forms are noValidate). */
/**
 * Puts the keyboard in a form that just opened: its first field, or on a touch screen its title
 * (a focused field there opens the on-screen keyboard over the form before it is read).
 */
export function focusForm(form: Element | null | undefined, title = '.subform-title') {
  const touch = window.matchMedia?.('(pointer: coarse)').matches ?? false;
  form?.querySelector<HTMLElement>(touch ? title : 'input, select, textarea')?.focus();
}

export function FieldError({ id, children }: { id: string; children: ComponentChildren }) {
  return (
    <p class="field-error" id={id} data-testid="field-error" role="alert">
      {children}
    </p>
  );
}
