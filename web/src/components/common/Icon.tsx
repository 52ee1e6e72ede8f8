/** Transport icons as inline SVG (no icon font, no emoji font needed). */
export type IconName = 'first' | 'prev' | 'play' | 'pause' | 'next' | 'last' | 'prevStop' | 'nextStop';

const PATHS: Record<IconName, string> = {
  first: 'M3 2h2v12H3z M14 2v12L6 8z',
  prev: 'M12 2v12L4 8z',
  play: 'M4 2l10 6-10 6z',
  pause: 'M3 2h4v12H3z M9 2h4v12H9z',
  next: 'M4 2v12l8-6z M12 2h2v12h-2z',
  last: 'M2 2v12l8-6z M11 2h2v12h-2z',
  prevStop: 'M9 3v10L2 8z M11 8a2.5 2.5 0 1 0 5 0a2.5 2.5 0 1 0-5 0z',
  nextStop: 'M7 3v10l7-5z M0 8a2.5 2.5 0 1 0 5 0a2.5 2.5 0 1 0-5 0z',
};

export function Icon({ name }: { name: IconName }) {
  return (
    <svg className="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill="currentColor" />
    </svg>
  );
}
