export {
  createSubjectsService,
  type Subject,
  type SubjectIdentifierKind,
  type SubjectIdentifiers,
  type SubjectKeys,
  type SubjectsService,
} from './subjects.service.ts';
export type { SubjectsTable, SubjectsTables } from './subjects.tables.ts';
