import { useEffect, useState } from 'preact/hooks';
import { watchLevel } from '@/lib/media/level';

/**
 * How loud a stream is, as a drawn bar (not <meter>: updating a <meter> 20 times a second froze
 * the page's renderer in Chromium 156). Empty while there is no stream.
 */
export function LevelMeter(props: { stream: MediaStream | null; label: string }) {
  const [level, setLevel] = useState(0);
  useEffect(() => {
    setLevel(0);
    return props.stream ? watchLevel(props.stream, setLevel) : undefined;
  }, [props.stream]);
  return (
    <span class="level" role="meter" aria-label={props.label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(level * 100)} data-testid="mic-level">
      <span style={{ width: `${Math.round(level * 100)}%` }} />
    </span>
  );
}
