// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { resetAll } from '../../test/core';
import { HAS_SOURCE_FILES } from '../../captions/sources';

import { showStory } from '../../test/showStory';
import { CodeView } from './CodeView';

afterEach(resetAll);

describe('CodeView with this build of the core', () => {
  it.skipIf(HAS_SOURCE_FILES)('shows only the C function panel when the core reports no source files', () => {
    showStory(4);
    render(<CodeView />);
    expect(screen.getByTestId('step-functions')).toBeTruthy();
    expect(screen.queryByTestId('code-line-current')).toBeNull();
    expect(screen.getByText(/does not report source lines yet/)).toBeTruthy();
  });

  it.skipIf(!HAS_SOURCE_FILES)('shows the source the core points at', () => {
    showStory(4);
    render(<CodeView />);
    expect(screen.getByTestId('step-functions')).toBeTruthy();
  });
});
