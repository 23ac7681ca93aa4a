import { Command, Option } from 'clipanion';
import type { LibraryFolder } from '../../commands/ports.js';
import { DomainError } from '../../domain/errors.js';
import { SpacedriveCommand } from '../base-command.js';

const summary = (l: LibraryFolder) => ({
  id: l.id,
  name: l.name,
  description: l.description,
  path: l.path,
  createdAt: l.createdAt,
  updatedAt: l.updatedAt,
});

export class LibraryCreateCommand extends SpacedriveCommand {
  static override paths = [['library', 'create']];
  static override usage = Command.Usage({
    description: 'Create a library',
    details: 'Creates `<Name>.sdlibrary` under the data dir. It becomes the current library when there is none, or with --switch.',
    examples: [['Create a library', '$0 library create "Photos" --description "Family pictures"']],
  });
  name = Option.String({ required: true });
  description = Option.String('--description');
  makeCurrent = Option.Boolean('--switch', false, { description: 'Make it the current library' });

  async run() {
    const created = await this.withCore((core) =>
      core.libraries.create(this.name, { description: this.description ?? null, makeCurrent: this.makeCurrent }),
    );
    this.out.result(summary(created), () => `Created library "${created.name}" (${created.id}) at ${created.path}`);
  }
}

export class LibraryListCommand extends SpacedriveCommand {
  static override paths = [['library', 'list']];
  static override usage = Command.Usage({ description: 'List the libraries of the data dir', examples: [['List', '$0 library list']] });

  async run() {
    const all = await this.withCore(async (core) => core.libraries.list());
    this.out.result(
      all.map((l) => ({ ...summary(l), current: l.current })),
      () =>
        all.length === 0
          ? 'No libraries yet: `spacedrive library create <name>` makes one.'
          : all.map((l) => `${l.current ? '*' : ' '} ${l.name}  ${this.out.paint(l.id, 'dim')}  ${l.path}`),
    );
  }
}

export class LibraryCurrentCommand extends SpacedriveCommand {
  static override paths = [['library', 'current']];
  static override usage = Command.Usage({
    description: 'Show the current library (creating "My Library" when there is none)',
    examples: [['Show', '$0 library current']],
  });

  async run() {
    const current = await this.withCore((core) => (this.libraryRef ? Promise.resolve(core.libraries.resolve(this.libraryRef)) : core.libraries.current()));
    this.out.result(summary(current), () => [`${current.name} (${current.id})`, `  ${current.path}`]);
  }
}

export class LibrarySwitchCommand extends SpacedriveCommand {
  static override paths = [['library', 'switch']];
  static override usage = Command.Usage({ description: 'Make a library the current one', examples: [['Switch', '$0 library switch Photos']] });
  ref = Option.String({ required: true, name: 'library' });

  async run() {
    const library = await this.withCore(async (core) => core.libraries.switch(this.ref));
    this.out.result(summary(library), () => `Current library: ${library.name} (${library.id})`);
  }
}

export class LibraryRenameCommand extends SpacedriveCommand {
  static override paths = [['library', 'rename']];
  static override usage = Command.Usage({
    description: 'Rename the current library (or --library)',
    details: 'A name another library has gets " 1", " 2", … appended. The folder keeps its name.',
    examples: [['Rename', '$0 library rename "Holiday Photos" --library Photos']],
  });
  name = Option.String({ required: true, name: 'new-name' });

  async run() {
    const r = await this.withCore((core) => core.libraries.rename(this.libraryRef, this.name));
    this.out.result({ ...summary(r), changed: r.changed }, () => (r.changed ? `Renamed library to "${r.name}"` : `The library is already named "${r.name}"`));
  }
}

export class LibraryDescribeCommand extends SpacedriveCommand {
  static override paths = [['library', 'describe']];
  static override usage = Command.Usage({
    description: 'Set the description of the current library (or --library); an empty text clears it',
    examples: [['Describe', '$0 library describe "Scans of old letters"']],
  });
  text = Option.String({ required: true, name: 'description' });

  async run() {
    const r = await this.withCore((core) => core.libraries.describe(this.libraryRef, this.text === '' ? null : this.text));
    this.out.result({ ...summary(r), changed: r.changed }, () => (r.changed ? 'Description updated' : 'Description unchanged'));
  }
}

export class LibraryDeleteCommand extends SpacedriveCommand {
  static override paths = [['library', 'delete']];
  static override usage = Command.Usage({
    description: 'Delete a library folder and its whole history (not the files it indexed)',
    examples: [['Delete', '$0 library delete Photos --yes']],
  });
  ref = Option.String({ required: true, name: 'library' });
  yes = Option.Boolean('--yes', false, { description: 'Confirm the deletion' });

  async run() {
    if (!this.yes) {
      throw new DomainError('CONFIRMATION_REQUIRED', 'user', `deleting library "${this.ref}" removes its whole history: add --yes to confirm`);
    }
    const deleted = await this.withCore((core) => core.libraries.delete(this.ref));
    this.out.result(summary(deleted), () => `Deleted library "${deleted.name}" (${deleted.id})`);
  }
}
