#!/usr/bin/env node
import { Builtins, Cli } from 'clipanion';
import { COMMAND_PATH, commandKey } from './code-cache.js';
import { printable } from './output.js';
import { lossyArguments } from './raw-arguments.js';
import { DeviceShowCommand } from './commands/device.js';
import { EventsCommand } from './commands/events.js';
import {
  LibraryCreateCommand, LibraryCurrentCommand, LibraryDeleteCommand, LibraryDescribeCommand, LibraryListCommand,
  LibraryRenameCommand, LibrarySwitchCommand,
} from './commands/library.js';
import { RebuildCommand, VerifyCommand } from './commands/maintenance.js';
import { JobCancelCommand, JobInfoCommand, JobListCommand, JobPauseCommand, JobResumeCommand } from './commands/job.js';
import {
  LocationAddCommand, LocationInfoCommand, LocationListCommand, LocationRemoveCommand, LocationRenameCommand, LocationRescanCommand,
} from './commands/location.js';
import { LsCommand } from './commands/ls.js';
import { IndexBrowseCommand } from './commands/index-browse.js';
import {
  VolumeForCommand, VolumeListCommand, VolumeRefreshCommand, VolumeRenameCommand, VolumeSpeedTestCommand, VolumeTrackCommand, VolumeUntrackCommand,
} from './commands/volume.js';
import { FileCopyCommand, FileDeleteCommand, FileMoveCommand, FilePlanCommand } from './commands/file.js';
import { AuditCommand, AuditVerifyCommand } from './commands/audit.js';
import {
  TagApplyCommand, TagCreateCommand, TagDeleteCommand, TagListCommand, TagMoveCommand, TagRecolorCommand, TagRemoveCommand, TagRenameCommand,
} from './commands/tag.js';
import { MetaFavoriteCommand, MetaHideCommand, MetaNoteCommand, MetaShowCommand, MetaUnfavoriteCommand, MetaUnhideCommand } from './commands/meta.js';
import { SearchCommand } from './commands/search.js';
import { FileDuplicatesCommand } from './commands/file-duplicates.js';
import { FileValidateCommand } from './commands/file-validate.js';

const args = process.argv.slice(2);

// `spacedrive ls … | head`: a reader that stops reading is not an error
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
const wantsJson = args.includes('--json');

/** Usage errors (unknown command, bad option value) follow the same `error: …` (stderr) / JSON (stdout) convention, exit 1. */
class SpacedriveCli extends Cli {
  override error(error: Error): string {
    const message = error.message
      .replace(/\u001b\[[0-9;]*m/g, '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .join(' ');
    // clipanion reads `--min-size -1` as an option named -1: say how to pass a negative number
    const negative = args.findIndex((a, i) => i > 0 && /^-\d/.test(a) && args[i - 1].startsWith('--') && !args[i - 1].includes('='));
    const told = negative > 0 && /Command not found|Unsupported option/.test(message)
      ? `"${args[negative]}" after ${args[negative - 1]} reads as an option: to give ${args[negative - 1]} a negative value, write ${args[negative - 1]}=${args[negative]}`
      : message;
    if (wantsJson) return JSON.stringify({ error: { code: 'USAGE', message: told } }, null, 2) + '\n';
    // clipanion prints what this returns on stdout; a human-readable error goes to stderr, as every other error does
    process.stderr.write(`error: ${told}\n(run \`spacedrive --help\` for the commands, \`spacedrive <command> --help\` for one)\n`);
    return '';
  }
}

const cli = new SpacedriveCli({
  binaryName: 'spacedrive',
  binaryLabel: 'Spacedrive core',
  binaryVersion: '0.1.0',
  enableColors: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && !args.includes('--no-color'),
});
const commands = [
  LibraryCreateCommand, LibraryListCommand, LibraryCurrentCommand, LibrarySwitchCommand, LibraryRenameCommand,
  LibraryDescribeCommand, LibraryDeleteCommand, DeviceShowCommand, EventsCommand, RebuildCommand, VerifyCommand,
  LocationAddCommand, LocationListCommand, LocationInfoCommand, LocationRenameCommand, LocationRemoveCommand, LocationRescanCommand,
  LsCommand, IndexBrowseCommand, JobListCommand, JobInfoCommand, JobPauseCommand, JobResumeCommand, JobCancelCommand,
  VolumeListCommand, VolumeForCommand, VolumeTrackCommand, VolumeUntrackCommand, VolumeRenameCommand, VolumeRefreshCommand, VolumeSpeedTestCommand,
  FileCopyCommand, FileMoveCommand, FileDeleteCommand, FilePlanCommand, AuditCommand, AuditVerifyCommand,
  TagCreateCommand, TagListCommand, TagRenameCommand, TagRecolorCommand, TagMoveCommand, TagDeleteCommand, TagApplyCommand, TagRemoveCommand,
  MetaNoteCommand, MetaFavoriteCommand, MetaUnfavoriteCommand, MetaHideCommand, MetaUnhideCommand, MetaShowCommand, SearchCommand,
  FileDuplicatesCommand, FileValidateCommand,
];
// Clipanion builds one parser for every registered command (a good part of a run's start): a run names its command
// group first (`file`, `tag`, …), so only that group is registered; anything else (`--help`, a typo) gets them all,
// for the full help and the suggestions. `--version` alone needs none of them.
const versionOnly = args.length === 1 && (args[0] === '--version' || args[0] === '-v');
const group = commands.filter((c) => c.paths?.some((p) => p[0] === args[0]));
for (const command of [...(versionOnly ? [] : group.length > 0 ? group : commands), Builtins.HelpCommand, Builtins.VersionCommand]) {
  cli.register(command);
}
// The command that runs names the code cache that the launcher keeps for it (code-cache.ts): `file-duplicates`, …
const processArgs = cli.process.bind(cli);
cli.process = ((input: string[], context?: object) => {
  const command = processArgs(input, context as never);
  if (!command.help) (globalThis as Record<symbol, unknown>)[COMMAND_PATH] = commandKey(command.path);
  return command;
}) as typeof cli.process;
// `spacedrive file` or `spacedrive file --help`: a group, not a command; its commands are what is registered
const isGroup = group.length > 0 && !group.some((c) => c.paths?.some((p) => p.length === 1));
const rest = withoutGlobalOptions(args.slice(1));
const lossy = lossyArguments(args);
if (isGroup && (rest.length === 0 || (rest.length === 1 && (rest[0] === '--help' || rest[0] === '-h')))) {
  const usage = cli.usage(null);
  if (rest.length === 1) process.stdout.write(usage);
  else {
    process.stderr.write(`error: \`spacedrive ${args[0]}\` needs a command:\n\n${usage}`);
    process.exitCode = 1;
  }
} else if (lossy === null || lossy.length > 0) {
  const message = lossy === null
    ? 'an argument holds U+FFFD (\uFFFD), which Node puts in place of bytes that are not UTF-8, and the bytes given cannot be checked here: spacedrive cannot take such a name on its command line; name the folder that holds it, or rename it'
    : `${lossy.map((a) => `"${printable(a)}"`).join(', ')} ${lossy.length === 1 ? 'is' : 'are'} not valid UTF-8 (\\xHH: the bytes that are not), and spacedrive cannot take such a name on its command line yet: name the folder that holds it (a copy, move or delete of a folder handles every name in it), or rename it`;
  if (wantsJson) process.stdout.write(JSON.stringify({ error: { code: 'ARGUMENT_NOT_UTF8', message } }, null, 2) + '\n');
  else process.stderr.write(`error: ${message}\n`);
  process.exitCode = 1;
} else {
  void cli.runExit(args);
}

/** Arguments but the options every command takes (DESIGN §6), which say nothing of which command is meant. */
function withoutGlobalOptions(rest: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--data-dir' || rest[i] === '--library') i++;
    else if (!/^--(data-dir|library)=|^--(json|quiet|color|no-color|verbose)$/.test(rest[i])) out.push(rest[i]);
  }
  return out;
}
