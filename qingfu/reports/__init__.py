"""Work-summary reports (工作总结汇报) and ledgers (台账) generated from records."""
