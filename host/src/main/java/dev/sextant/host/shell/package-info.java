/**
 * The interactive shell ({@code sextant shell}): Spring Shell commands over the same engine, loaded
 * pipelines and text views as the one-shot command line, with tab completion of pipeline names and
 * pipeline files.
 */
package dev.sextant.host.shell;
