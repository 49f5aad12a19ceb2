"""Shared GraphQL machinery: context, permissions, pagination, dataloaders, errors, mutation runner."""
