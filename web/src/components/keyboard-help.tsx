// The small hint of single-key shortcuts under a list, like a code-review tool's "?" card.
export const KeyboardHelp = ({ keys }: { keys: readonly (readonly [string, string])[] }) => (
  <p className="keyboard-help" data-testid="keyboard-help">
    {keys.map(([k, what]) => (
      <span key={k}>
        <kbd>{k}</kbd> {what}
      </span>
    ))}
  </p>
);
