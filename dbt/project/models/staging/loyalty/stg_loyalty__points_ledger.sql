with

source as (

    select * from {{ source('loyalty', 'points_ledger') }}

),

renamed as (

    select

        ---------- ids
        business_key,
        user_id,
        transaction_id,
        legacy_txn_id,

        ---------- numerics
        points,
        coalesce(withheld_points, 0) as withheld_points,

        ---------- text
        status as ledger_status,
        entry_type,
        sources as ledger_sources,

        ---------- timestamps
        event_time as event_at,
        updated_at,
        written_at

    from source

)

select * from renamed
