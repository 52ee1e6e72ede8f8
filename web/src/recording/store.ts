/**
 * The open kernel recording (a program's, from `ringside record`, or a conformance trace with
 * tracepoints), apart from the simulator's state: opening one never changes the session, and a
 * file that cannot be read is reported while the page keeps what it showed.
 */
import { create } from 'zustand';
import { showProblem } from '../store';
import { type OpenRecording, readRecordingText } from './format';

export interface RecordingState {
  recording: OpenRecording | null;
  /** The current event (the step control's position). */
  index: number;
  /** The file it came from. */
  file: string;
  /** The kernel-vs-simulator page is open. */
  truth: boolean;
}

export const recordingStore = create<RecordingState>(() => ({ recording: null, index: 0, file: '', truth: false }));
export const useRecording = recordingStore;

/** Opens a recording from its text; on error shows what is wrong and keeps everything as it was. */
export function openRecordingText(text: string, file: string): boolean {
  const r = readRecordingText(text);
  if (!r.ok) {
    showProblem({ title: `Could not open the recording ${file}`, lines: r.errors });
    return false;
  }
  showProblem(null);
  recordingStore.setState({ recording: r.recording, index: 0, file });
  return true;
}

export async function openRecordingFile(f: File): Promise<boolean> {
  let text: string;
  try {
    text = await f.text();
  } catch (e) {
    showProblem({
      title: `Could not open the recording ${f.name}`,
      lines: [`the file could not be read: ${e instanceof Error ? e.message : String(e)}`],
    });
    return false;
  }
  return openRecordingText(text, f.name);
}

export function closeRecording(): void {
  recordingStore.setState({ recording: null, index: 0, file: '' });
}

/** Moves the step control; clamped to the recording. */
export function setRecordingIndex(i: number): void {
  const { recording } = recordingStore.getState();
  if (!recording) return;
  const n = recording.events.length;
  recordingStore.setState({ index: Math.max(0, Math.min(n - 1, Math.round(i))) });
}

export function openTruth(): void {
  recordingStore.setState({ truth: true, recording: null });
}

export function closeTruth(): void {
  recordingStore.setState({ truth: false });
}
