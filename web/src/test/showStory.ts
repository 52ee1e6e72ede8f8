/**
 * Puts the story (test/story.ts) into the store, as if a scenario had been loaded, at `cursor`.
 * No controller runs behind it: actions that drive the core do nothing.
 */
import { simStore } from '../store/store';
import { STORY_PROGRAM, story, storyBytes } from './story';

export function showStory(cursor: number, opts: { sanitizer?: boolean } = {}): void {
  const { frames, models } = story(opts);
  simStore.setState({
    status: 'ready',
    mode: 'guided',
    scenario: {
      format: 'ringside-scenario',
      version: 1,
      id: 'story',
      title: 'A queued command',
      intro: 'A test story.',
      api: 'v5',
      ring: { entries: 4 },
      program: STORY_PROGRAM,
    },
    frames,
    models,
    cursor,
    chapters: [
      { title: 'Issue', event: 'sim_uring_cmd_issue', frame: 4 },
      { title: 'Completion', event: 'sim_task_work_run', frame: 7 },
    ],
    inspect: {
      frame: cursor,
      ring: storyBytes(),
      user: [{ name: 'buf', addr: 0x1000, bytes: new Uint8Array([1, 2, 3, 4]) }],
    },
  });
}
