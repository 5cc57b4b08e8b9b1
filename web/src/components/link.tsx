// An in-app link: a real <a href> (open in new tab works) whose plain click navigates without a reload.
// `to` is always a path the UI built (sessionPath, '/'), never text from log content.
import type { MouseEvent, ReactNode } from 'react';
import { navigate } from '../router.ts';

export const Link = ({ to, children, className, testId }: { to: string; children: ReactNode; className?: string; testId?: string }) => {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} className={className} data-testid={testId}>
      {children}
    </a>
  );
};
