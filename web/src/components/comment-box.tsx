// A comment form: on a timeline line (eventId) or on the whole session (null). Ctrl/Cmd+Enter sends, Escape cancels.
import { useEffect, useRef, useState, type FormEvent } from 'react';

interface Props {
  readonly onSubmit: (body: string) => Promise<boolean>;
  readonly onCancel?: () => void;
  readonly placeholder?: string;
  readonly autoFocus?: boolean;
  readonly testId?: string;
}

export const CommentBox = ({ onSubmit, onCancel, placeholder = 'Leave a comment', autoFocus = false, testId = 'comment-box' }: Props) => {
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (autoFocus) ref.current?.focus();
  }, [autoFocus]);

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (body.trim() === '' || busy) return;
    setBusy(true);
    try {
      if (await onSubmit(body)) setBody('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="comment-box" onSubmit={submit} data-testid={testId}>
      <textarea
        ref={ref}
        value={body}
        placeholder={placeholder}
        rows={3}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
          if (e.key === 'Escape' && onCancel !== undefined) onCancel();
        }}
        data-testid="comment-input"
      />
      <div className="comment-box-actions">
        {onCancel !== undefined && (
          <button type="button" onClick={onCancel} data-testid="comment-cancel">
            Cancel
          </button>
        )}
        <button type="submit" className="primary" disabled={busy || body.trim() === ''} data-testid="comment-submit">
          Comment
        </button>
      </div>
    </form>
  );
};
