/**
 * The inspector: tabs for the bytes of the followed request and the step's raw trace records.
 * (The code has a panel of its own, always on the stage.)
 */
import { memo, useRef } from 'react';
import { type InspectorTab, selInspector, setInspector, useSim } from '../../store';
import { BytesView } from '../BytesView';
import { EventLog } from '../EventLog';

const TABS: { id: InspectorTab; label: string; key: string }[] = [
  { id: 'bytes', label: 'Bytes', key: 'b' },
  { id: 'trace', label: 'Trace', key: 't' },
];

function InspectorComponent() {
  const chosen = useSim(selInspector);
  // 'code' (older links and embeds) was a tab; the code now has its own panel.
  const tab: InspectorTab = chosen === 'code' ? 'bytes' : chosen;
  const list = useRef<HTMLDivElement>(null);
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    e.stopPropagation();
    const i = TABS.findIndex((t) => t.id === tab);
    const next = TABS[(i + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length] as (typeof TABS)[number];
    setInspector(next.id);
    list.current?.querySelector<HTMLElement>(`#tab-${next.id}`)?.focus();
  };
  return (
    <section className="panel inspector" aria-label="Inspector">
      <div className="tabs" role="tablist" aria-label="Inspector" ref={list} onKeyDown={onKey}>
        {TABS.map((t) => (
          <button
            key={t.id}
            id={`tab-${t.id}`}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => setInspector(t.id)}
            title={`${t.label} (${t.key.toUpperCase()})`}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="tab-panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'bytes' && <BytesView />}
        {tab === 'trace' && <EventLog />}
      </div>
    </section>
  );
}

export const Inspector = memo(InspectorComponent);
Inspector.displayName = 'Inspector';
