-- The attempt that currently owns a sync run. A worker that lost its job lock (killed, partitioned from the
-- queue) may still be running; every batch it commits checks the lease first, so only the attempt that took
-- the run over can store batches and move the checkpoint.
ALTER TABLE sync_run ADD COLUMN lease text;
