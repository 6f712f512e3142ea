-- Step 2 of the walkthrough: change data capture on the database and on every HumanResources
-- table, as a DBA runs it (sqlcmd or tsql; GO separates batches). Needs db_owner (sysadmin for
-- sp_cdc_enable_db on SQL Server). On SQL Server, SQL Server Agent must run for the capture job.
USE AdventureWorks2014;
GO
EXEC sys.sp_cdc_enable_db;
GO
EXEC sys.sp_cdc_enable_table @source_schema = N'HumanResources', @source_name = N'Department', @role_name = NULL;
EXEC sys.sp_cdc_enable_table @source_schema = N'HumanResources', @source_name = N'Shift', @role_name = NULL;
EXEC sys.sp_cdc_enable_table @source_schema = N'HumanResources', @source_name = N'Employee', @role_name = NULL;
EXEC sys.sp_cdc_enable_table @source_schema = N'HumanResources', @source_name = N'EmployeeDepartmentHistory', @role_name = NULL;
EXEC sys.sp_cdc_enable_table @source_schema = N'HumanResources', @source_name = N'EmployeePayHistory', @role_name = NULL;
EXEC sys.sp_cdc_enable_table @source_schema = N'HumanResources', @source_name = N'JobCandidate', @role_name = NULL;
GO
